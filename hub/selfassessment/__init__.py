"""The municipal open-government self-assessment (seed 002): a public tool that scores a
questionnaire answered in one POST and stores nothing (see docs/architecture.md)."""

"""Staff screens in the Wagtail admin, one module per screen: ``dashboard`` (calls and their
figures), ``entries`` (list, detail, decisions, extensions), ``jury`` (pools and
assignments), ``results`` (deliberation, publication, decision e-mails, audit log) and
``exports`` (CSV and XLSX). Views check a named permission (``contests/rules.py``) and call
the domain; none decides anything itself."""

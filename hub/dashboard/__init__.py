"""Dashboards of the network's figures and the quarterly report "en lenguaje ciudadano".

``rules`` says who may see which scope; ``scope`` turns a request's selectors into a
``hub.indicators.Scope`` (refusing what the user may not see); ``reports`` generates, scopes and
prints the quarterly report pages (``hub.models.reports``); ``views`` and ``panels`` are the
admin screens.
"""

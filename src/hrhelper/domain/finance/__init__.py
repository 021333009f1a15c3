"""Finance: official currency rates against the Belarusian rouble (BYN).

Modules: ``model`` (RateQuote, CurrencyRate and the read models), ``rates`` (RateService).
Nothing is re-exported here, so ports can import the model without an import cycle.
"""

"""Taking CRM exports as they come: Salesforce, HubSpot, callkit's own CSV, or any export with a mapping file.

- profiles.py: which column holds which field (built-in profiles in data/crm_profiles.yaml, mapping files)
- csvfile.py: reading a CSV as a spreadsheet shows it (separator, numbered rows, a report's footer)
- values.py: dates in the exporter's locale, amounts with currency
- export.py: one record per row, every problem collected (for `--check`)
- refresh.py: an import as a weekly refresh (new, updated, unchanged, slipped, won, lost, disappeared)
"""

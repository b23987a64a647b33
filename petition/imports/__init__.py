"""Importing signatures from a file (CSV or XLSX): Action Network and Google Forms
exports, spreadsheets."""

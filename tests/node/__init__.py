"""The Node runner for the rules in Pyodide, and the cases it is checked with."""

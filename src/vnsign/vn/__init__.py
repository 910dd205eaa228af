"""The Vietnamese domain: certificate subjects, Decree 30/2020 document fields, cross-checks."""

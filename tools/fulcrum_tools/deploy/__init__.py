"""Checks and measurements of the deployment files in deploy/."""

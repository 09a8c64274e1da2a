"""factsheet: the Öppna jämförelser LSS fact sheet as a build."""

__version__ = "0.1.0"

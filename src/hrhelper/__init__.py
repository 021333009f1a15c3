"""hrhelper: one API for recruiting teams."""

__version__ = "0.1.0"

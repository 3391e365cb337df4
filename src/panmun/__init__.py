"""Panmun: software for the programmes of inter-Korean exchange and cooperation."""

__version__ = "0.1.0"

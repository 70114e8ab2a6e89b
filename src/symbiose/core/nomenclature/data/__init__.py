"""Packaged tables and pint definitions; a package so that wheels ship its files."""

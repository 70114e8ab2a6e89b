"""Official nomenclatures packaged as the project's own tables (sources in NOTICE).

- `ewc`: the European List of Waste (842 codes), French and English labels, hazard flag.
- `naf`: NAF rév.2 sub-classes with their NACE Rev.2 class, division and section.
- `units`: units of measure and conversions, through pint.
"""

"""Business meetings: placing accepted meeting requests on a grid of slots and tables."""

"""Synthetic territories for benchmarks and tests.

    synth_territory(actors=N, seed=S, resources=None) -> (list[ActorRecord],
                                                          list[ResourceRecord])
"""

from symbiose.core.synth.territory import synth_territory

__all__ = ["synth_territory"]

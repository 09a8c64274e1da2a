"""(Spec, Dataset, Area) -> Document: the resolver of the area's kind fills every placeholder,
table and figure (``resolver``: the national sheet; ``variants``: a county's and a kommun's)."""

from __future__ import annotations

from factsheet.model import areas
from factsheet.model.areas import Area
from factsheet.model.dataset import Dataset
from factsheet.model.document import Document
from factsheet.model.spec import Spec
from factsheet.resolve.resolver import Recorder, Resolver
from factsheet.resolve.variants import CountyResolver, MunicipalResolver

RESOLVERS: dict[str, type[Resolver]] = {
    "county": CountyResolver,
    "municipality": MunicipalResolver,
}


def resolver_for(
    spec: Spec, data: Dataset, area: Area | None = None, recorder: Recorder | None = None
) -> Resolver:
    """The resolver of the area's kind: the national one for riket, and for an area whose
    kind the content has no variant for."""
    area = area or areas.riket()
    chosen = RESOLVERS.get(area.kind, Resolver) if area.kind in spec.variants else Resolver
    return chosen(spec, data, area, recorder)


def resolve(
    spec: Spec, data: Dataset, area: Area | None = None, recorder: Recorder | None = None
) -> Document:
    """Resolve the whole document for one area (riket by default); raise ContentError listing
    every problem. ``recorder`` receives a ``Trace`` of every value printed (for
    ``factsheet explain``)."""
    return resolver_for(spec, data, area, recorder).document()

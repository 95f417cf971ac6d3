"""The global search box: each registry registers itself; the page asks each in turn."""

from dataclasses import dataclass

from apps.core.filtersets import folded_search


@dataclass(frozen=True)
class SearchTarget:
    model: type
    label: object  # lazy translated string
    list_url_name: str
    field: str = "search_text"
    #: a registry's own matcher (e.g. forgiving notation search); defaults to the folded text
    matcher: object = None


_registry: list[SearchTarget] = []


def register(target: SearchTarget) -> None:
    if target not in _registry:
        _registry.append(target)


def targets() -> list[SearchTarget]:
    return list(_registry)


def global_search(user, query: str, limit: int = 10):
    """[(target, [objects…], has_more)] for every registry with hits visible to ``user``."""
    results = []
    if not query or not query.strip():
        return results
    for target in _registry:
        base = target.model.objects.for_user(user)
        qs = target.matcher(base, query) if target.matcher else folded_search(base, query, target.field)
        hits = list(qs[: limit + 1])
        if hits:
            results.append((target, hits[:limit], len(hits) > limit))
    return results

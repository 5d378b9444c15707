"""Where an entry's references are: read from its model's field types, never from a list kept by hand.

A field typed ``schema.ref("sites")`` (or ``list[ref(...)]``, at any depth) is a reference; ``reference_paths``
finds every one in a model, ``references_in_data`` every one written in an entry's data.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from heritage.core.schema import Reference

FieldPath = tuple  # e.g. ("sources", 0, "url")
ANY = "*"  # a list index in a reference path pattern


@functools.cache
def reference_paths(model: type[BaseModel]) -> tuple[tuple[tuple[str | object, ...], Reference], ...]:
    """Every reference field of a model as (path pattern as written in YAML, its ``Reference``); ``ANY`` stands
    for a list index. Read from the ``Reference`` marker on the field's type, through Optional, list and nesting."""
    found: list[tuple[tuple, Reference]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        for suffix, reference in _references_in(info.annotation, info.metadata):
            found.append(((key, *suffix), reference))
    return tuple(found)


def _references_in(annotation: Any, metadata: list[Any]) -> Iterator[tuple[tuple, Reference]]:
    for item in metadata:
        if isinstance(item, Reference):
            yield (), item
            return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _references_in(annotation.__origin__, [*metadata, *annotation.__metadata__])
    elif origin is list:
        for suffix, target in _references_in(typing.get_args(annotation)[0], []):
            yield (ANY, *suffix), target
    elif origin is typing.Union:
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _references_in(arg, [])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for pattern, target in reference_paths(annotation):
            yield pattern, target


def references_in_data(data: Any, model: type[BaseModel]) -> Iterator[tuple[FieldPath, str, str, tuple[str, str] | None]]:
    """(field path, target collection, entry id, (part, item id) or None) of every reference written in an entry's
    data, valid or not. A part reference is ``entry-id#item-id``."""
    for pattern, reference in reference_paths(model):
        for path, value in _match(data, pattern, ()):
            if isinstance(value, str):
                target_id, _, item_id = value.strip().partition("#")
                yield path, reference.collection, target_id, (reference.part, item_id) if reference.part else None


def _match(data: Any, pattern: tuple, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head is ANY:
        for index, item in enumerate(data if isinstance(data, list) else []):
            yield from _match(item, rest, (*path, index))
    elif isinstance(data, dict) and head in data:
        yield from _match(data[head], rest, (*path, head))


def is_related(path: FieldPath) -> bool:
    """A reference under ``related`` links both ways; anywhere else it is a mention."""
    return bool(path) and path[0] == "related"

"""Idempotent migration operations: tortoise operations that adopt what already exists.

Tortoise's own operations assume the database matches the migration history: ``CreateModel``
fails on an existing table and ``AddField`` on an existing column. A database that One API or
New API created holds some of our tables and columns already, in combinations no single
``--fake`` can describe. These operations keep tortoise's state handling (so ``makemigrations``
and ``sqlmigrate`` still work) and check the live schema before each DDL statement:

* ``EnsureModel`` (a ``CreateModel``): create the table if it is missing; otherwise add its
  missing columns and indexes. ``primary_key=(...)`` makes a composite key (``abilities``).
* ``EnsureColumns`` (``AddField`` + ``AddIndex`` for one model): add each column only if it is
  missing, and each index only if no index has its name or exactly its columns.

Nothing is ever dropped, renamed or altered; extra columns (a later One API's ``tokens.models``
or ``users.lark_id``) are left alone. A NOT NULL column needs ``db_default`` to be added to a
table that has rows.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from tortoise.fields import Field
from tortoise.indexes import Index
from tortoise.migrations.exceptions import IncompatibleStateError
from tortoise.migrations.operations import CreateModel, TortoiseOperation
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State
from tortoise.models import Model

from newapi.errors import StoreError
from newapi.store import introspect

__all__ = ["EnsureColumns", "EnsureModel"]

log = logging.getLogger(__name__)


def _model(state: State, app_label: str, name: str) -> type[Model]:
    return state.apps.get_model(f"{app_label}.{name}")


def _default_sql(editor: BaseSchemaEditor, model: type[Model], field: Field) -> str:
    if not field.has_db_default():
        return ""
    value = field.to_db_value(field.db_default, model)
    return f" DEFAULT {editor._escape_default_value(value)}"


async def _add_missing_column(
    editor: BaseSchemaEditor, model: type[Model], field_name: str, present: set[str]
) -> bool:
    """Add ``field_name``'s column unless ``present`` lists it; True when it was added."""
    field = model._meta.fields_map[field_name]
    column = model._meta.fields_db_projection[field_name]
    if column.lower() in present:
        return False
    table = model._meta.db_table
    if field.pk:
        raise StoreError(
            f"table {table!r} has no primary key column {column!r}; it was not created by "
            "One API, New API or newapi"
        )
    if not field.null and not field.has_db_default():
        raise StoreError(f"cannot add NOT NULL column {table}.{column} without a database default")
    await editor.add_field(model, field_name)
    present.add(column.lower())
    log.info("added column %s.%s", table, column)
    return True


async def _ensure_index(editor: BaseSchemaEditor, model: type[Model], index: Index) -> bool:
    """Create ``index`` unless one with its name or exactly its columns exists."""
    index.resolve_expressions(model)
    table = model._meta.db_table
    if editor.collect_sql:
        await editor.add_index(model, index)
        return True
    existing = await introspect.index_columns(editor.client, table)
    wanted = tuple(name.lower() for name in index.field_names)
    name = editor._index_name_for_model(model, index).lower()
    if name in existing or wanted in existing.values():
        return False
    await editor.add_index(model, index)
    log.info("added index %s on %s%s", name, table, wanted)
    return True


def _model_indexes(model: type[Model]) -> list[Index]:
    return [index for index in model._meta.indexes if isinstance(index, Index)]


class EnsureModel(CreateModel):
    """``CreateModel`` that adopts an existing table (see the module docstring)."""

    def __init__(
        self,
        name: str,
        fields: list[tuple[str, Any]],
        options: dict[str, Any] | None = None,
        bases: list[str] | None = None,
        primary_key: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(name=name, fields=fields, options=options, bases=bases)
        self.primary_key = primary_key

    def describe(self) -> str:
        return f"Create model {self.name} (or adopt the existing table)"

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if not state_editor:
            return
        model = _model(new_state, app_label, self.name)
        table = model._meta.db_table
        exists = False
        if not state_editor.collect_sql:
            exists = table.lower() in await introspect.table_names(state_editor.client)
        if not exists:
            await self._create(state_editor, model)
            log.info("created table %s", table)
            return
        present = await introspect.column_names(state_editor.client, table)
        for field_name in model._meta.fields_db_projection:
            await _add_missing_column(state_editor, model, field_name, present)
        for index in _model_indexes(model):
            await _ensure_index(state_editor, model, index)

    async def _create(self, editor: BaseSchemaEditor, model: type[Model]) -> None:
        if self.primary_key is None:
            await editor.create_model(model)
            return
        await editor._run_sql(self._composite_table_sql(editor, model))
        for index in _model_indexes(model):
            await editor.add_index(model, index)

    def _composite_table_sql(self, editor: BaseSchemaEditor, model: type[Model]) -> str:
        """CREATE TABLE with a multi-column primary key, from tortoise's column types."""
        keys = self.primary_key or ()
        columns = []
        for field_name, column in model._meta.fields_db_projection.items():
            field = model._meta.fields_map[field_name]
            sql = editor._get_field_sql(
                db_field=column,
                field_type=field.get_for_dialect(editor.DIALECT, "SQL_TYPE"),
                nullable=field.null and column not in keys,
                unique=False,
                is_pk=False,
                comment="",
            )
            columns.append(sql + _default_sql(editor, model, field))
        columns.append(f"PRIMARY KEY ({', '.join(editor.quote(column) for column in keys)})")
        table = model._meta.db_table
        return editor.TABLE_CREATE_TEMPLATE.format(
            table_name=editor._qualify_table_name(table, model._meta.schema),
            fields="\n    " + ",\n    ".join(columns) + "\n",
            extra=editor._table_generate_extra(table=table),
            comment="",
        )


class EnsureColumns(TortoiseOperation):
    """Add columns and indexes to one model, each only when the database lacks it.

    State-wise it is a run of ``AddField`` then ``AddIndex`` operations on one model; as one
    operation it costs tortoise one model-state copy per table instead of one per column.
    """

    reversible = False

    def __init__(
        self,
        model_name: str,
        fields: list[tuple[str, Any]],
        indexes: list[Index] | None = None,
    ) -> None:
        self.model_name = model_name
        self.fields = fields
        self.indexes = list(indexes or [])

    def describe(self) -> str:
        names = ", ".join(name for name, _ in self.fields)
        return f"Add fields {names} to {self.model_name} (those missing)"

    def state_forward(self, app_label: str, state: State) -> None:
        model_state = self.get_model_state(state, app_label, self.model_name)
        for name, field in self.fields:
            if name in model_state.fields:
                raise IncompatibleStateError(
                    f"Field {name} already present on model {app_label}.{self.model_name}"
                )
            model_state.fields[name] = copy.deepcopy(field)
        if self.indexes:
            current = list(model_state.options.get("indexes") or ())
            model_state.options["indexes"] = tuple(current + self.indexes)
        state.reload_model(app_label, self.model_name)

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if not state_editor:
            return
        model = _model(new_state, app_label, self.model_name)
        present: set[str] = set()
        if not state_editor.collect_sql:
            present = await introspect.column_names(state_editor.client, model._meta.db_table)
        for name, _ in self.fields:
            await _add_missing_column(state_editor, model, name, present)
        for index in self.indexes:
            await _ensure_index(state_editor, model, index)

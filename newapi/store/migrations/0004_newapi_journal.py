"""Step 4: ``newapi_journal``, the applied position of each billing journal (newapi's own)."""

# ruff: noqa: RUF012  (tortoise migrations declare operations as class-level lists)

from tortoise import fields, migrations

from newapi.store.schema_ops import EnsureModel


class Migration(migrations.Migration):
    dependencies = [("newapi", "0003_new_api_tables")]

    operations = [
        EnsureModel(
            name="JournalState",
            fields=[
                ("name", fields.CharField(primary_key=True, max_length=191)),
                ("applied_offset", fields.BigIntField(default=0, db_default=0)),
                ("updated_at", fields.BigIntField(default=0, db_default=0)),
            ],
            options={
                "table": "newapi_journal",
                "app": "newapi",
                "pk_attr": "name",
                "table_description": "Billing journal positions applied to this database (newapi)",
            },
            bases=["Model"],
        ),
    ]

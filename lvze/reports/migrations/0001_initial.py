from django.db import migrations, models

# The tables the cached figures count (lvze.lib.figures_cache): a change to any of them moves the data version.
COUNTED_TABLES = (
    "duties_workitem",
    "orgs_organization",
    "orgs_person",
    "records_meeting",
    "records_talk",
    "records_activity",
    "records_activitytype",
    "records_honor",
    "inspections_finding",
    "inspections_rectification",
    "inspections_inspection_inspectors",
)

BUMP = "UPDATE reports_dataversion SET n = n + 1 WHERE id = 1"


def sqlite_statements() -> list[str]:
    # SQLite has row triggers only; the bump is one small update in the writer's own transaction.
    return [
        f"CREATE TRIGGER lvze_dv_{table}_{op.lower()} AFTER {op} ON {table} BEGIN {BUMP}; END"
        for table in COUNTED_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    ]


def postgresql_statements() -> list[str]:
    # One bump per statement, however many rows it touches.
    return [
        f"CREATE FUNCTION lvze_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$",
        *(
            f"CREATE TRIGGER lvze_dv_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION lvze_bump_data_version()"
            for table in COUNTED_TABLES
        ),
    ]


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return ["DROP FUNCTION IF EXISTS lvze_bump_data_version() CASCADE"]
    return [f"DROP TRIGGER IF EXISTS lvze_dv_{t}_{op}" for t in COUNTED_TABLES for op in ("insert", "update", "delete")]


def create_triggers(apps, schema_editor):
    schema_editor.execute("INSERT INTO reports_dataversion (id, n) VALUES (1, 0)")
    vendor = schema_editor.connection.vendor
    for statement in postgresql_statements() if vendor == "postgresql" else sqlite_statements():
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("duties", "0003_workitem_dashboard_index"),
        ("orgs", "0001_initial"),
        ("records", "0002_records"),
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "数据版本"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

"""On PostgreSQL (production), the audit table refuses UPDATE and DELETE at the database level too,
so not even a bug or a shell session through the application can rewrite the trail. TRUNCATE, used
only by test tear-downs and a deliberate database reset, is not a row operation and stays possible.
SQLite, the single-laptop mode, keeps the application-level guard only: its test tear-downs delete
rows, and it has no privilege system that would make a trigger meaningful."""

from django.db import migrations

FORBID = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION halte_audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit events are append-only'; END;
        $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION halte_audit_append_only()""",
    ],
}
ALLOW = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent",
        "DROP FUNCTION IF EXISTS halte_audit_append_only()",
    ],
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in FORBID.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in ALLOW.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

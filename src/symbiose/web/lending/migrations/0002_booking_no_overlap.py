"""On PostgreSQL, two bookings of one offer that hold the item never overlap: an exclusion
constraint on the period, over the holding statuses (`models.HOLDING`). SQLite has no
such constraint; there the booking service checks under SQLite's single writer lock.

Written as SQL run on PostgreSQL only, so that SQLite still migrates; btree_gist lets the
offer's key (an integer) take part in a GiST index beside the range."""

from django.db import migrations

CONSTRAINT = "lending_booking_no_overlap"
CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE lending_booking ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (offer_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('pending', 'accepted', 'checked_out'));
"""
DROP = f"ALTER TABLE lending_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]

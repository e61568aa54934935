"""待遇领取资格认证 and field mode: visits downloaded for offline work, sealed evidence files, counter/kiosk
certification records, and death/custody events for the monthly report (app.certification).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cert_visits",
        sa.Column("visit_id", sa.String(36), primary_key=True),
        sa.Column("operator_id", sa.String(32), nullable=False),
        sa.Column("ssn", sa.String(18), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("person", sa.JSON, nullable=False),
        sa.Column("ref_photo", sa.LargeBinary),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("due_by", sa.String(10)),
        sa.Column("state", sa.String(16), nullable=False, server_default="assigned"),
        sa.Column("outcome", sa.String(16)),
        sa.Column("seq", sa.Integer),
        sa.Column("bundle_sha256", sa.String(64)),
        sa.Column("message_id", sa.String(36)),
        sa.Column("downloaded_at", TS, nullable=False),
        sa.Column("captured_at", TS),
        sa.Column("confirmed_at", TS),
        sa.Column("wiped_at", TS),
    )
    op.create_index("ix_cert_visits_operator_id", "cert_visits", ["operator_id"])
    op.create_index("ix_cert_visits_ssn", "cert_visits", ["ssn"])
    op.create_index("ix_cert_visits_state", "cert_visits", ["state"])
    op.create_table(
        "cert_evidence",
        sa.Column("evidence_id", sa.String(36), primary_key=True),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(64), nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("mime_type", sa.String(32), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_cert_evidence_owner_id", "cert_evidence", ["owner_id"])
    op.create_table(
        "cert_records",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("ssn", sa.String(18), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("method", sa.String(24), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("face", sa.JSON, nullable=False),
        sa.Column("identified_by", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.String(32), nullable=False),
        sa.Column("terminal_id", sa.String(16), nullable=False),
        sa.Column("certified_at", TS, nullable=False),
        sa.Column("message_id", sa.String(36)),
    )
    op.create_index("ix_cert_records_ssn", "cert_records", ["ssn"])
    op.create_table(
        "cert_loss_events",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("ssn", sa.String(18), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("visit_id", sa.String(36)),
        sa.Column("operator_id", sa.String(32), nullable=False),
        sa.Column("terminal_id", sa.String(16), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("message_id", sa.String(36)),
    )
    op.create_index("ix_cert_loss_events_ssn", "cert_loss_events", ["ssn"])
    op.create_index("ix_cert_loss_events_on_date", "cert_loss_events", ["on_date"])


def downgrade() -> None:
    op.drop_table("cert_loss_events")
    op.drop_table("cert_records")
    op.drop_table("cert_evidence")
    op.drop_table("cert_visits")

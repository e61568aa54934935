"""Archive packages of completed cases, 好差评 ratings, and the audit upload mark.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_packages",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("archive_no", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("missing", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ratings",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("uploaded", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.create_index("ix_audit_uploaded", ["uploaded", "id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_uploaded")
        batch.drop_column("uploaded")
    op.drop_table("ratings")
    op.drop_table("archive_packages")

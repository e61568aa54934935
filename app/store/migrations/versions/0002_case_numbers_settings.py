"""Per-terminal case number sequences, local settings, and the receipt path on cases.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_number_sequences",
        sa.Column("terminal_id", sa.String(16), primary_key=True),
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "local_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("document_path", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("document_path")
    op.drop_table("local_settings")
    op.drop_table("case_number_sequences")

"""Offline-first sync: outbox bookkeeping (error code, server reply, server verdict, claim), extra ordering edges,
persons with the server's version (conflicts, field assignments), and versioned reference data.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
# upsert a counter (the SELECT form, so a WHERE can make it conditional: "… AND <rejected condition>")
_BUMP = ("INSERT INTO outbox_counts(key, n) SELECT {key}, 0 WHERE 1 ON CONFLICT(key) DO NOTHING; "
         "UPDATE outbox_counts SET n = n {d} WHERE key = {key}")
_REJ = "{r}state = 'sent' AND {r}remote_status IN ('rejected', 'needs_correction', 'resubmit')"
_TEXT = ("{r}case_no || ' ' || {r}applicant_name || ' ' || {r}applicant_ssn || ' ' || {r}item_name")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("error_code", sa.String(64)))
        batch.add_column(sa.Column("response", sa.JSON))
        batch.add_column(sa.Column("remote_status", sa.String(24)))
        batch.add_column(sa.Column("remote_reason", sa.Text))
        batch.add_column(sa.Column("remote_at", TS))
        batch.add_column(sa.Column("claim_id", sa.String(36)))
        batch.add_column(sa.Column("replaced_by", sa.String(36)))
        batch.create_index("ix_outbox_remote_status", ["remote_status", "state"])
        batch.create_index("ix_outbox_claim", ["claim_id"])
        batch.create_index("ix_outbox_depends_on", ["depends_on"])
    op.create_table(
        "outbox_dependencies",
        sa.Column("message_id", sa.String(36), primary_key=True),
        sa.Column("depends_on", sa.String(36), primary_key=True),
    )
    op.create_index("ix_outbox_dependencies_depends_on", "outbox_dependencies", ["depends_on"])
    op.create_table(
        "sync_persons",
        sa.Column("ssn", sa.String(18), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, server_default=""),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("assigned_to", sa.String(32)),
        sa.Column("pending_edit", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_sync_persons_assigned_to", "sync_persons", ["assigned_to"])
    # the outbox screen searches 100,000 items in milliseconds: a trigram full-text copy of each case's number,
    # applicant, ID number and item (substring match for 3+ characters), kept by triggers; a name index for 1–2
    op.create_index("ix_cases_applicant_name", "cases", ["applicant_name"])
    op.execute("CREATE VIRTUAL TABLE cases_search USING fts5(case_id UNINDEXED, text, tokenize='trigram')")
    op.execute(f"INSERT INTO cases_search(case_id, text) SELECT case_id, {_TEXT.format(r='')} FROM cases")
    op.execute(f"""CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_search(case_id, text) VALUES (new.case_id, {_TEXT.format(r='new.')}); END""")
    op.execute(f"""CREATE TRIGGER cases_search_update AFTER UPDATE OF case_no, applicant_name, applicant_ssn,
        item_name ON cases BEGIN
        DELETE FROM cases_search WHERE case_id = old.case_id;
        INSERT INTO cases_search(case_id, text) VALUES (new.case_id, {_TEXT.format(r='new.')}); END""")
    op.execute("""CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
        DELETE FROM cases_search WHERE case_id = old.case_id; END""")
    # per-state counts kept by triggers: the status bar, the screen's filter buttons and the capture guardrail
    # read them in O(1) however long the outbox grows ('rejected' = sent, and sent back by the centre)
    op.create_table(
        "outbox_counts",
        sa.Column("key", sa.String(24), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False, server_default="0"),
    )
    op.execute("INSERT INTO outbox_counts(key, n) SELECT state, count(*) FROM outbox GROUP BY state")
    op.execute(f"INSERT INTO outbox_counts(key, n) SELECT 'rejected', count(*) FROM outbox WHERE {_REJ.format(r='')}")
    op.execute(f"""CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox BEGIN
        {_BUMP.format(key='new.state', d='+ 1')};
        {_BUMP.format(key="'rejected'", d='+ 1')} AND {_REJ.format(r='new.')}; END""")
    op.execute(f"""CREATE TRIGGER outbox_counts_update AFTER UPDATE OF state, remote_status ON outbox
        WHEN old.state IS NOT new.state OR old.remote_status IS NOT new.remote_status BEGIN
        {_BUMP.format(key='old.state', d='- 1')};
        {_BUMP.format(key='new.state', d='+ 1')};
        {_BUMP.format(key="'rejected'", d='- 1')} AND {_REJ.format(r='old.')};
        {_BUMP.format(key="'rejected'", d='+ 1')} AND {_REJ.format(r='new.')}; END""")
    op.execute(f"""CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox BEGIN
        {_BUMP.format(key='old.state', d='- 1')};
        {_BUMP.format(key="'rejected'", d='- 1')} AND {_REJ.format(r='old.')}; END""")
    op.create_table(
        "sync_ref_documents",
        sa.Column("kind", sa.String(24), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_ref_documents")
    for trigger in ("outbox_counts_delete", "outbox_counts_update", "outbox_counts_insert", "cases_search_delete",
                    "cases_search_update", "cases_search_insert"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE cases_search")
    op.drop_table("outbox_counts")
    op.drop_index("ix_cases_applicant_name", "cases")
    op.drop_index("ix_sync_persons_assigned_to", "sync_persons")
    op.drop_table("sync_persons")
    op.drop_index("ix_outbox_dependencies_depends_on", "outbox_dependencies")
    op.drop_table("outbox_dependencies")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_depends_on")
        batch.drop_index("ix_outbox_claim")
        batch.drop_index("ix_outbox_remote_status")
        for col in ("replaced_by", "claim_id", "remote_at", "remote_reason", "remote_status", "response",
                    "error_code"):
            batch.drop_column(col)

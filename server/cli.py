"""The `yichuang-server` command: prepare the database (optionally seed demo data) and serve the API with uvicorn."""
from __future__ import annotations

import argparse
import logging
import os
import sys

import uvicorn

from server.api import create_app
from server.db import create_schema, make_engine
from server.security import add_enrolment_code

ENV_DATABASE = "YICHUANG_SERVER_DATABASE"
ENV_REQUIRE_ENROLMENT = "YICHUANG_SERVER_REQUIRE_ENROLMENT"
ENV_REQUIRE_SIGNATURES = "YICHUANG_SERVER_REQUIRE_SIGNATURES"
DEFAULT_DATABASE = "sqlite:///yichuang-server.db"
log = logging.getLogger("yichuang.server")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yichuang-server", description="一窗 reference central API server")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--database", default=os.environ.get(ENV_DATABASE, DEFAULT_DATABASE),
                   help=f"SQLAlchemy URL, e.g. sqlite:///server.db or postgresql+psycopg://u:p@h/db "
                        f"(default ${ENV_DATABASE} or {DEFAULT_DATABASE})")
    p.add_argument("--seed-demo", action="store_true", help="load the demo persons and operators if the database is empty")
    p.add_argument("--require-enrolment", action="store_true",
                   help="terminals must present an enrolment code to register")
    p.add_argument("--add-enrolment-code", action="append", default=[], metavar="CODE",
                   help="store an enrolment code (repeatable)")
    p.add_argument("--require-signatures", action="store_true",
                   help="refuse requests not signed by a registered terminal key (issue 11; health, registration, "
                        "update and certificate-verification reads stay open)")
    p.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM); terminals pin it or its CA")
    p.add_argument("--ssl-keyfile", help="the private key of --ssl-certfile")
    p.add_argument("--workers", type=int, default=1, help="worker processes (use >1 only with PostgreSQL)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return p


def prepare_database(database_url: str, *, seed_demo: bool, enrolment_codes: list[str]) -> None:
    """Create tables, seed and add codes once, before any worker starts."""
    from sqlalchemy.orm import Session

    from server import demo_data

    engine = make_engine(database_url)
    try:
        create_schema(engine)
        if seed_demo:
            if demo_data.is_empty(engine):
                counts = demo_data.seed_demo(engine)
                log.info("demo data loaded: %s", counts)
            else:
                log.info("database not empty: demo data not loaded")
            __import__("server.certification", fromlist=["_"]).seed_demo_certification(engine)  # issue 9 demo visits
        if enrolment_codes:
            with Session(engine) as s:
                for code in enrolment_codes:
                    add_enrolment_code(s, code)
                s.commit()
    finally:
        engine.dispose()


def app_from_env():
    """App factory for multi-worker runs (uvicorn imports it in each worker)."""
    return create_app(
        os.environ[ENV_DATABASE],
        auto_register_terminals=os.environ.get(ENV_REQUIRE_ENROLMENT) != "1",
        create_tables=False,
        require_signatures=os.environ.get(ENV_REQUIRE_SIGNATURES) == "1",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    prepare_database(args.database, seed_demo=args.seed_demo, enrolment_codes=args.add_enrolment_code)
    tls = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile} if args.ssl_certfile else {}
    if args.workers > 1:
        os.environ[ENV_DATABASE] = args.database
        os.environ[ENV_REQUIRE_ENROLMENT] = "1" if args.require_enrolment else "0"
        os.environ[ENV_REQUIRE_SIGNATURES] = "1" if args.require_signatures else "0"
        uvicorn.run("server.cli:app_from_env", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level=args.log_level, **tls)
    else:
        app = create_app(args.database, auto_register_terminals=not args.require_enrolment,
                         require_signatures=args.require_signatures)
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, **tls)
    return 0


if __name__ == "__main__":
    sys.exit(main())

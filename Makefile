# Voorportaal — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install run-intake run-routing run-notification run-analytics run-casework run-relays broker-setup \
        test-unit test-integration test-service test-e2e bench chaos report demo-data clean \
        lock audit sbom dist tools migrate migration

## install: the platform from the lock file, hashes required (requirements/test.txt = runtime, analytics and test
##          extras; make lock writes it from pyproject.toml), then the platform itself and the partner client
##          (clients/partner, its own distribution) as two editable installs without dependency resolution
LOCK := requirements/test.txt
$(STAMP): pyproject.toml $(LOCK) clients/partner/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e clients/partner
	@touch $(STAMP)

# release and supply-chain tools in their own venv, from their own lock (requirements/tools.txt)
TOOLS := $(VENV)/tools
TOOLS_STAMP := $(TOOLS)/.installed
$(TOOLS_STAMP): requirements/tools.txt
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r requirements/tools.txt
	@touch $(TOOLS_STAMP)
tools: $(TOOLS_STAMP)

## lock: re-resolve pyproject.toml (and requirements/tools.in) into the hashed lock files, from PyPI only (the
##       machine's extra indexes and find-links are ignored so that every hash is one PyPI serves)
COMPILE := PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(TOOLS)/bin/pip-compile --quiet --generate-hashes \
           --allow-unsafe --strip-extras --index-url https://pypi.org/simple --no-emit-index-url
lock: $(TOOLS_STAMP)
	$(COMPILE) -o requirements/base.txt pyproject.toml
	$(COMPILE) --extra analytics -o requirements/analytics.txt pyproject.toml
	$(COMPILE) --extra analytics --extra test -o requirements/test.txt pyproject.toml
	$(COMPILE) -o requirements/tools.txt requirements/tools.in

## audit: pip-audit over the lock files; fails (exit 2) when no vulnerability database can be reached, never
##        passes silently; accepted findings: deploy/supply-chain/audit-exceptions.toml
audit: $(TOOLS_STAMP)
	$(TOOLS)/bin/python deploy/supply-chain/audit.py

## sbom: CycloneDX SBOMs of the two images' Python packages (from their lock files) into dist/sbom/
sbom: $(TOOLS_STAMP)
	@mkdir -p dist/sbom && echo '*' > dist/.gitignore
	$(TOOLS)/bin/cyclonedx-py requirements --pyproject pyproject.toml --mc-type application --output-reproducible \
	  --of JSON -o dist/sbom/voorportaal.cdx.json requirements/base.txt
	$(TOOLS)/bin/cyclonedx-py requirements --pyproject pyproject.toml --mc-type application --output-reproducible \
	  --of JSON -o dist/sbom/voorportaal-analytics.cdx.json requirements/analytics.txt

## dist: the partner client's wheel and sdist (clients/partner, `voorportaal-partner`) into dist/
dist: $(TOOLS_STAMP)
	@mkdir -p dist && echo '*' > dist/.gitignore
	$(TOOLS)/bin/python -m build --no-isolation --outdir dist clients/partner

# axe-core for the accessibility tests (npm from Debian; without it those tests skip and say so)
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; else echo "npm missing: axe tests will be skipped"; fi

install: $(STAMP)

## migrate: bring every service's schema to the newest revision (each service's own database URL; `make run` and
##          every service do this on start anyway; compose and Kubernetes run it as a step of its own)
migrate: $(STAMP)
	$(VENV)/bin/voorportaal-migrate all

## migration: write a new revision for one service from the difference between its tables.py and its newest
##            revision (autogenerate on a scratch SQLite database): make migration SERVICE=routing MESSAGE="..."
##            Review the file it writes (docs/storage.md, "How the schema changes").
migration: $(STAMP)
	@test -n "$(SERVICE)" || { echo 'usage: make migration SERVICE=<service> MESSAGE="what changes"'; exit 2; }
	@test -n "$(MESSAGE)" || { echo 'usage: make migration SERVICE=<service> MESSAGE="what changes"'; exit 2; }
	$(VENV)/bin/voorportaal-migrate new $(SERVICE) -m "$(MESSAGE)"

## run: start the five services, each with its outbox relay inside, and a local mail catcher (SQLite, local RabbitMQ)
run: $(STAMP)
	$(PY) -m devtools.local_platform

run-intake: $(STAMP)
	$(PY) -m services.intake
run-routing: $(STAMP)
	$(PY) -m services.routing
run-notification: $(STAMP)
	$(PY) -m services.notification
run-casework: $(STAMP)
	$(PY) -m services.casework
run-analytics: $(STAMP)
	$(PY) -m services.analytics
## run-relays: the five outbox relays in one process (needed next to services started one by one with OUTBOX_RELAY=process)
run-relays: $(STAMP)
	$(PY) -m libs.kit.relay intake routing notification analytics casework

## test: the whole suite against the real RabbitMQ and PostgreSQL (isolated vhost and database per run), tier by
##       tier (docs/architecture.md §7): the in-process service tier runs in a pytest process of its own because it
##       needs eventlet patched first, which the browser tests must not have
PYTEST := $(PY) -m pytest -q -p no:cacheprovider
test: $(STAMP) $(NODE_STAMP)
	$(MAKE) --no-print-directory test-unit
	$(PYTEST) tests/integration tests/e2e
	$(MAKE) --no-print-directory test-service

## test-unit: fakes and files only, no broker or database (under a minute: two workers on the two cores)
test-unit: $(STAMP)
	$(PYTEST) -n 2 tests/unit

test-integration: $(STAMP)
	$(PYTEST) tests/integration

## test-service: each service class in a nameko container, in-process (nameko's testing tools, real broker)
test-service: $(STAMP)
	PYTHONPATH=tests $(PYTEST) -p support.eventlet_first tests/service

test-e2e: $(STAMP) $(NODE_STAMP)
	$(PYTEST) tests/e2e

## bench: performance figures against same-run baselines — the floor pipeline (bench/floor/) and bare nameko — on
##        a private RabbitMQ + PostgreSQL with pg_stat_statements; checks its tools first (wrk, PostgreSQL, RabbitMQ);
##        ~20-25 min with the million-complaint growth phase, BENCH_GROWTH=0 skips it (docs/bench.md; not in `make test`)
bench: $(STAMP)
	$(PY) bench/run_all.py

## chaos: fault-injection suites on a private RabbitMQ + PostgreSQL, bounded and loopback-only (not part of
##        `make test`); one CHAOS line per scenario, records appended to bench/results/chaos.json; then the
##        security suite's slow part: a 200 req/s flood from one client while a normal user is served
chaos: $(STAMP)
	$(PY) -m pytest -q -s -p no:cacheprovider -m slow tests/chaos tests/e2e/security/test_security_flood.py

## report: an evaluation report from the analytics store (FROM/TO as YYYY-MM)
report: $(STAMP)
	$(VENV)/bin/voorportaal-report --from $${FROM:-2026-01} --to $${TO:-2028-12} --format $${FORMAT:-html} --out var/report.$${FORMAT:-html}

clean:
	rm -rf var .pytest_cache

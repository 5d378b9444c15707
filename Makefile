# The stable interface of the project. Every target sets itself up: a fresh clone needs only `make serve` / `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDORED := $(VENV)/.vendored
export PYTHONPATH := build_hooks
export NO_MKDOCS_2_WARNING := 1
CHROMIUM ?= /usr/bin/chromium
# The engine that turns the generated Markdown into themed HTML: mkdocs (default), properdocs (MkDocs' drop-in fork,
# the same site byte for byte but the generator meta) or zensical (build only: it runs no hooks). Whichever builds,
# the post-build step (build_hooks/heritage/engines/postbuild.py) sanitises, wraps and indexes the pages the same way.
ENGINE ?= mkdocs

.PHONY: setup serve build release offline check new schemas test test-fast lint bench browser lock clean

setup: $(STAMP) $(VENDORED)

# Reinstall whenever the lock file changes. --require-hashes: pip refuses any file whose sha256 is not in the lock
# (a tampered or substituted upload, from PyPI or from a local index) and any package the lock does not pin;
# --only-binary :all:: wheels only, so no package's setup.py or build backend runs during the install.
$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary :all: -r requirements.lock
	touch $@

# Files from npm packages at pinned versions (vendor.lock.json), without Node.js: the Pagefind binary that indexes
# the site for search. scripts/npm_fetch.py checks every tarball against its pinned sha512 (npm_config_registry
# selects a mirror).
$(VENDORED): vendor.lock.json scripts/npm_fetch.py $(STAMP)
	$(PY) scripts/npm_fetch.py
	touch $@

# Preview on http://127.0.0.1:8000 with live reload; drafts are shown with a banner (HERITAGE_PREVIEW=0 hides them).
# --livereload is explicit because some click releases silently turned the default off (mkdocs#4032).
# --dirty: after an edit only changed pages are rebuilt (generated pages are backed by files in .cache/pages), and
# the search index is rebuilt over the whole preview in the background; --no-strict keeps the warning MkDocs prints
# about dirty builds from stopping the preview. Never for a release: `make build` is always complete and strict.
serve: setup
	@case "$(ENGINE)" in mkdocs|properdocs) ;; *) echo "make serve 支持 ENGINE=mkdocs 或 ENGINE=properdocs（Zensical 不运行项目的钩子，请用 make build ENGINE=zensical）。"; exit 2;; esac
	$(VENV)/bin/$(ENGINE) serve --livereload --dirty --no-strict --dev-addr 127.0.0.1:8000

# Production build into site/: published entries only; built elsewhere, then swapped in, so a failure changes nothing.
build: setup
	$(PY) -m heritage build --engine $(ENGINE) --site-dir site

# The published site: needs SITE_URL (a real address), leaves demonstration records out (RELEASE_DEMO=1 keeps
# them), writes gzip and brotli copies beside every text file; like build, swapped in only on success.
release: setup
	$(PY) -m heritage release --engine $(ENGINE) --site-dir site $(if $(RELEASE_DEMO),--with-demo)

# The whole site in one zip for a laptop with no network (dist/dapeng-heritage-offline.zip): unzip, then double-click
# start-windows.bat / start-mac.command (a local server on 127.0.0.1; search and the lesson basket need one).
# SITE_URL=https://正式域名/ make offline prints the public address and QR codes in the handouts.
offline: setup
	$(PY) -m heritage offline --engine $(ENGINE) --out dist/dapeng-heritage-offline.zip

# Validate every entry (drafts included) without building; non-zero exit on any error.
# Warnings (editorial style) do not fail it unless STRICT=1. Under GitHub Actions it prints annotations.
check: setup
	$(PY) -m heritage check $(if $(STRICT),--strict)

# A commented template for a new entry: make new KIND=site ID=dapeng-fortress-cadre-school. Without KIND or ID it
# prints the kinds of every registered collection (from the registry, so a new collection is listed by itself).
new: setup
	@test -n "$(KIND)" -a -n "$(ID)" || { $(PY) -m heritage.outputs.scaffold; exit 2; }
	$(PY) -m heritage new "$(KIND)" "$(ID)"

# Regenerate the JSON Schema files in schemas/ after changing build_hooks/heritage/core/schema.py.
schemas: setup
	$(PY) -m heritage schemas

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here), and nginx with
# the brotli static module for the deployment test.
browser:
# poppler-utils (pdfinfo, pdftotext) reads the handouts Chromium prints; a Chinese font (WenQuanYi Micro Hei) lets the
# printed text be Chinese characters rather than empty boxes on a machine without one.
	@command -v $(CHROMIUM) >/dev/null && [ -x /usr/sbin/nginx ] && [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] \
	  && command -v pdftotext >/dev/null && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || { \
	  echo "Installing Debian's chromium, nginx, poppler-utils and a Chinese font for the browser, deployment and print tests…"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium nginx-light libnginx-mod-http-brotli-static poppler-utils fonts-wqy-microhei; \
	  $$SUDO systemctl disable --now nginx 2>/dev/null || $$SUDO service nginx stop 2>/dev/null || true; }

test: setup browser
	$(PY) -m pytest

# The quick loop while changing code: unit and golden tests only, no real build (`site`) and no Chromium (`browser`);
# about a minute on a 2-core machine. CI and `make test` run everything.
test-fast: setup
	$(PY) -m pytest -q -m "not browser and not site"

# Code style and static checks (ruff, configured in pyproject.toml); CI runs it before the tests.
lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# Build synthetic corpora of N sites + N records (default 100, 1000, 5000) and print time, memory, sizes.
bench: setup
	$(PY) bench/run.py $(N)

# Refresh requirements.lock after changing pyproject.toml: uv, at a pinned version in a throwaway venv, resolves
# the dependencies and the test extra for every platform and Python >= 3.11 (--universal, wheels only) and writes
# the sha256 of every file PyPI has for each pinned version (every wheel, so x86_64 and aarch64 Linux and CPython
# 3.11 and later install from the same lock), for `make setup`'s --require-hashes. Versions already in the lock are
# kept unless pyproject.toml needs others; `make lock UPGRADE=1` moves every package to its newest allowed version.
# UV_DEFAULT_INDEX selects a mirror (its files must be PyPI's: the hashes are checked).
UV_VERSION := 0.13.10
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	.lock-venv/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --only-binary :all: \
	  --generate-hashes --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) --quiet --output-file requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site .site.* .pytest_cache dist

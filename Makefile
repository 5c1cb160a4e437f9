# Every target builds the virtual environment it needs from pyproject.toml on first use, in
# two steps: what running specgen needs (generate, check, watch), then the development tools
# (test and the rest: pytest, mypy, pyright with its Node.js runtime, ...).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN := $(VENV)/.installed-run
DEV := $(VENV)/.installed-dev

.PHONY: generate check test lint corpus fuzz bench watch snapshots clean

$(RUN): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV): $(RUN)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

generate: $(RUN)
	$(BIN)/specgen generate

check: $(RUN)
	$(BIN)/specgen check

# pytest exits 5 when it collects no test: here that is a failure, said plainly.
test: $(DEV)
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

# Our own code, to the standard of its output: ruff and mypy --strict.
# mypy reads generator/ under its installed name, specgen_md, through a link in .venv.
lint: $(DEV)
	$(BIN)/ruff check generator tests
	mkdir -p $(VENV)/lint && ln -sfn $(CURDIR)/generator $(VENV)/lint/specgen_md
	$(BIN)/python -m mypy

# The real corpora, whole (needs shared/ beside the checkout; skips otherwise).
corpus: $(DEV)
	$(BIN)/python -m pytest -m corpus tests/corpus

# Property-based tests with many more examples than `make test` runs.
FUZZ_EXAMPLES ?= 300
fuzz: $(DEV)
	SPECGEN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz.py

# specgen against datamodel-code-generator, in an environment of its own.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python tests/bench/bench.py

watch: $(RUN)
	$(BIN)/specgen watch

snapshots: $(DEV)
	$(BIN)/python -m pytest tests/test_snapshots.py tests/test_templates.py tests/test_kinds.py -k "snapshot or golden" --update-snapshots

clean:
	rm -rf $(VENV) $(BENCH_VENV) .specgen_cache

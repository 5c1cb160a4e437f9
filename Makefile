# Every target builds its own virtual environment from pyproject.toml on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check test lint corpus fuzz bench watch snapshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/specgen generate

check: $(STAMP)
	$(BIN)/specgen check

# pytest exits 5 when it collects no test: here that is a failure, said plainly.
test: $(STAMP)
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

# Our own code, to the standard of its output: ruff and mypy --strict.
lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m mypy

# The real corpora, whole (needs shared/ beside the checkout; skips otherwise).
corpus: $(STAMP)
	$(BIN)/python -m pytest -m corpus tests/corpus

# Property-based tests with many more examples than `make test` runs.
FUZZ_EXAMPLES ?= 300
fuzz: $(STAMP)
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

watch: $(STAMP)
	$(BIN)/specgen watch

snapshots: $(STAMP)
	$(BIN)/python -m pytest tests/test_snapshots.py tests/test_templates.py -k "snapshot or golden" --update-snapshots

clean:
	rm -rf $(VENV) $(BENCH_VENV) .specgen_cache

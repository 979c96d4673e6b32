# make run       - create .venv, install (with OCR for scanned PDFs), build the index of data/ when missing or
#                  stale, open the chat
# make test      - the fast tests (no real models, no browser): the edit-test loop, about 3 minutes
# make test-all  - lint, then every test, slow (real models) and browser ones included: what CI runs
# make train-reader - fine-tune the span reader (../shared/benchmarks), export to qa/reader/weights
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
INDEX   ?= index
HOST    ?= 127.0.0.1
PORT    ?= 7860
LINTED  := qa tests ui.py eval

.PHONY: run test test-all lint install dev index bench bench-scale eval train-reader clean screenshots

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch comes first and pinned: the CPU build on local disk, never the multi-GB CUDA one
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[ocr]'
	touch $@

# the optional extras too, so their tests run: OCR of scanned PDFs, the Milvus backend
$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev,ocr,milvus,train]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

index: install
	$(BIN)/qa build data/ --index $(INDEX) --if-stale

run: index
	$(BIN)/qa serve --index $(INDEX) --host $(HOST) --port $(PORT)

lint: dev
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy

# the fast tests on every core (pytest-xdist): about 160 s on this 2-core machine
test: lint
	$(BIN)/python -m pytest -q -m "not slow and not browser" -n auto

test-all: lint
	$(BIN)/python -m pytest -q

# refresh the screenshots kept in tests/artifacts/ (a plain test run writes them to build/screenshots/)
screenshots: dev
	QA_ARTIFACTS=tests/artifacts $(BIN)/python -m pytest -q -m browser tests/web/test_browser.py

eval: index
	$(BIN)/qa eval --index $(INDEX)

# both embedders (the reader on), each from a fresh build of data/ (chunks/s, peak RSS), then warm and cold asks;
# and e5-small with rules alone
bench: install
	$(BIN)/python eval/bench.py --build data/ --embedder e5-small
	$(BIN)/python eval/bench.py --build data/ --embedder e5-small --reader none --rounds 2 --cold-runs 1
	$(BIN)/python eval/bench.py --build data/ --embedder use

# the scale table of docs/scaling.md: corpus (USE-m3 vectors cached for the first 16k chunks) in $(SCALE), resumable
SCALE   ?= ../bench-scale
bench-scale: install
	$(BIN)/python eval/bench_scale_corpus.py --work $(SCALE) --chunks 16000
	$(BIN)/python eval/bench_scale_corpus.py --work $(SCALE) --chunks 210000 --estimate
	nice $(BIN)/python eval/bench_scale.py --work $(SCALE) --recall --tutorial

# the shipped reader: multilingual-e5-small fine-tuned on CMRC 2018 train, XQuAD-zh and DRCD (../shared/benchmarks),
# the best epoch on CMRC 2018 trial -> qa/reader/weights (reader.onnx, config.json, MODEL_CARD.md). Resumable:
# checkpoints in $(READER_LAB); about 100 min per epoch on 2 CPU cores with AMX (bf16), minutes on a GPU
READER_LAB ?= $(HOME)/.cache/qa-reader-lab
train-reader: dev
	$(BIN)/python -m qa.reader.train --out qa/reader/weights --lab $(READER_LAB)
	$(BIN)/python -m qa.reader.evaluate --set cmrc-trial
	$(BIN)/python -m qa.reader.evaluate --set drcd-holdout

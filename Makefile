# bookvoice — the two commands a user needs are `make demo` and `make test`.
#
#   make setup    system packages (espeak-ng, ffmpeg), model assets, release build; idempotent
#   make assets   Kokoro model, voices, vocabulary and ONNX Runtime into models/ (checksummed)
#   make demo     setup, then list the sample book's chapters, convert it into out/lamplighters-almanac.m4b
#                 and speak a passage into out/demo.wav
#   make test     setup, then every test
#   make bench    setup, then the speech engine's figures on the standard passage
#   make lint     rustfmt and clippy, as CI runs them

SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/bookvoice
SYSTEM_PACKAGES := espeak-ng ffmpeg

.PHONY: setup system-packages assets build demo test bench lint sample-book clean

setup: system-packages assets build

system-packages:
	@missing=""; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	command -v ffmpeg >/dev/null || missing="$$missing ffmpeg"; \
	if [ -z "$$missing" ]; then echo "setup: system packages are installed"; exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "setup: please install:$$missing (with your system's package manager), then rerun make"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else echo "setup: missing:$$missing. Run this, then rerun make:"; \
	     echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
	echo "setup: installing$$missing"; \
	$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing

assets:
	@bash scripts/assets.sh

build:
	$(CARGO) build --release --locked

demo: setup
	@mkdir -p out
	$(BIN) chapters sample-books/lamplighters-almanac.epub
	$(BIN) convert sample-books/lamplighters-almanac.epub -o out
	$(BIN) say -f sample-books/src/demo.txt -o out/demo.wav
	@echo "demo: read out/lamplighters-almanac.bookvoice/script/, listen to out/lamplighters-almanac.m4b and out/demo.wav"

test: setup
	$(CARGO) test --release --locked

bench: setup
	$(BIN) bench

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings

# Rebuild the committed sample EPUB from its sources.
sample-book:
	python3 sample-books/src/make_epub.py

clean:
	rm -rf out target

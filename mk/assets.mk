# Front-end assets: NHS.UK frontend built from Sass into static/dist/ (gitignored).
# Included from the Makefile. `make assets` installs node_modules only when it is missing or
# package-lock.json is newer than the last install, then rebuilds the CSS and copies the JS
# and images.

NPM ?= npm

.PHONY: assets

# npm ci writes node_modules/.package-lock.json, so its timestamp records the last install.
node_modules/.package-lock.json: package-lock.json package.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

assets: node_modules/.package-lock.json
	$(NPM) run build:css

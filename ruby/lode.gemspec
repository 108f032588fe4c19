# frozen_string_literal: true

# The lode gem. Built two ways (see the Rakefile):
# - `rake native`: a platform gem holding the compiled extension (liblode linked in), which
#   `gem install` sets up with nothing to compile and no network: the default;
# - LODE_GEM=source: a source gem, compiled by `gem install` against a liblode.a found through
#   LODE_LIB_DIR (see ext/lode/extconf.rb).
require_relative "lib/lode/version"

Gem::Specification.new do |spec|
  spec.name = "lode"
  spec.version = Lode::VERSION
  spec.authors = ["The Lode authors"]
  spec.summary = "Lode, an embedded crash-safe key-value store written in Rust, for Ruby"
  spec.description = <<~TEXT
    Named tables of byte-string keys and values in one file, with write transactions, consistent
    snapshots and ordered scans. A native extension generated from Lode's one API definition; no
    runtime dependency.
  TEXT
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.homepage = "https://github.com/lode-db/lode"
  spec.metadata["source_code_uri"] = "https://github.com/lode-db/lode/tree/main/ruby"
  spec.metadata["rubygems_mfa_required"] = "true"

  spec.files = Dir["lib/**/*.rb", "README.md", "LICENSE-MIT", "LICENSE-APACHE"]
  extension = "lib/lode/lode_ext.#{RbConfig::CONFIG["DLEXT"]}"
  native = ENV["LODE_GEM"] != "source" && File.exist?(File.join(__dir__, extension))
  # A compiled extension is for this platform and this Ruby's ABI (one per minor version).
  spec.required_ruby_version = native ? "~> #{RbConfig::CONFIG["MAJOR"]}.#{RbConfig::CONFIG["MINOR"]}.0" : ">= 3.1"
  if native
    spec.platform = Gem::Platform.local
    spec.files << extension
  else
    spec.files += Dir["ext/lode/**/*.{c,h,rb}"]
    spec.extensions = ["ext/lode/extconf.rb"]
  end
end

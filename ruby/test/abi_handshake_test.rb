# frozen_string_literal: true

# The ABI handshake: an extension built for another ABI than the library it links refuses to
# load, with a LoadError naming both versions. Builds such an extension (the expected version
# overridden at compile time) in a scratch directory.
require_relative "test_helper"
require "open3"
require "rbconfig"

class AbiHandshakeTest < Minitest::Test
  ROOT = File.expand_path("..", __dir__)

  def test_a_mismatched_library_is_refused_at_load
    build = File.join(scratch_dir, "build")
    FileUtils.mkdir_p(build)
    env = { "LODE_EXTRA_CFLAGS" => "-DLODE_RUBY_EXPECTED_ABI=0x00630002u" }
    _, status = Open3.capture2e(env, RbConfig.ruby, File.join(ROOT, "ext/lode/extconf.rb"), chdir: build)
    skip "cannot configure the extension here (no compiler or liblode.a)" unless status.success?
    output, status = Open3.capture2e("make", chdir: build)
    assert_predicate status, :success?, output
    FileUtils.mkdir_p(File.join(scratch_dir, "lib", "lode"))
    FileUtils.cp(Dir[File.join(build, "lode_ext.*")].grep(/\.(so|bundle)\z/).first,
                 File.join(scratch_dir, "lib", "lode"))
    program = 'begin; require "lode/lode_ext"; rescue LoadError => e; print e.message; exit 3; end'
    output, status = Open3.capture2e(RbConfig.ruby, "-I", File.join(scratch_dir, "lib"), "-I",
                                     File.join(ROOT, "lib"), "-e", program)
    assert_equal 3, status.exitstatus, output
    abi = Lode::Database.abi_version
    assert_includes output, "generated for ABI 99.2"
    assert_includes output, "reports ABI #{abi >> 16}.#{abi & 0xffff}"
  end
end

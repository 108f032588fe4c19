# frozen_string_literal: true

# The exception hierarchy (Lode::Error and a class per kind) and how arguments are checked:
# text must be UTF-8, byte strings take any String, wrong types raise TypeError.
require_relative "test_helper"

class ErrorsTest < Minitest::Test
  def test_a_class_per_kind
    Lode::ErrorKind::VALUES.each_key do |kind|
      name = kind.to_s.split("_").map(&:capitalize).join.sub("Io", "IO")
      klass = Lode.const_get("#{name}Error")
      assert_operator klass, :<, Lode::Error
      assert_equal kind, klass.kind
      assert_equal kind, klass.new("message").kind
    end
    assert_operator Lode::Error, :<, StandardError
    assert_nil Lode::Error.new("x").kind
    assert_equal 10, Lode::ErrorKind::VALUES.size
    assert_equal 10, Lode::ErrorKind::VALUES[Lode::ErrorKind::BUSY]
    assert_equal 8, Lode::ErrorKind::VALUES[Lode::ErrorKind::NOT_FOUND]
  end

  def test_errors_carry_kind_and_message
    with_db do |db|
      error = assert_raises(Lode::Error) { db.get("t", "missing") }
      assert_instance_of Lode::NotFoundError, error
      assert_equal :not_found, error.kind
      assert_equal "key not found", error.message
      error = assert_raises(Lode::InvalidArgumentError) { db.put("", "k", "v") }
      assert_match(/table/, error.message)
    end
  end

  def test_invalid_utf8_text_is_rejected
    with_db do |db|
      broken = "t\xFF".dup.force_encoding(Encoding::UTF_8)
      error = assert_raises(ArgumentError) { db.put(broken, "k", "v") }
      assert_match(/table: invalid byte sequence in UTF-8/, error.message)
      error = assert_raises(ArgumentError) { db.get("t\xFF".b, "k") }
      assert_match(/binary/, error.message)
      assert_equal [], db.tables
    end
  end

  def test_text_in_other_encodings_is_transcoded
    with_db do |db|
      db.put("caf\u00e9", "k", "v")
      assert_equal "v", db.get("caf\u00e9".encode(Encoding::ISO_8859_1), "k")
      assert_equal "v", db.get("caf\u00e9".encode(Encoding::UTF_16LE), "k")
      assert_equal ["caf\u00e9"], db.tables
      assert_equal Encoding::UTF_8, db.tables.first.encoding
      # ASCII text is the same in every ASCII-compatible encoding, binary included.
      db.put("plain".b, "k", "v")
      assert db.contains?("plain".encode(Encoding::US_ASCII), "k")
      # A lone surrogate is not UTF-16 text.
      assert_raises(EncodingError) { db.get("\xD8\x00".dup.force_encoding(Encoding::UTF_16BE), "k") }
    end
  end

  def test_wrong_types
    with_db do |db|
      assert_raises(TypeError) { db.put("t", nil, "v") }
      assert_raises(TypeError) { db.put(:t, "k", "v") }
      assert_raises(TypeError) { db.get("t", 1) }
      assert_raises(ArgumentError) { db.get("t") }
    end
  end

  def test_conversions_use_to_str
    path = Object.new
    path.define_singleton_method(:to_str) { "t" }
    with_db do |db|
      db.put(path, path, path)
      assert_equal "t", db.get("t", "t")
    end
  end
end

# frozen_string_literal: true

# The Ruby reader of Lode's fault tests (tools/tests/faults/src/damaged.rs describes the
# protocol): `ruby -I ruby/lib reader.rb <file> <dump>` opens the file, scans every table,
# looks each key up again, dumps what it read and prints one line per stage. The fault tests
# use it to see a second process refused with AlreadyOpen.
require "lode"

def record(out, tag, bytes)
  out.write(tag, [bytes.bytesize].pack("V"), bytes)
end

def read_all(db, out)
  tables = db.tables
  db.snapshot do |snapshot|
    tables.each do |table|
      record(out, "T", table.b)
      snapshot.each(table) do |key, value|
        return "read mismatch" unless snapshot.get(table, key) == value

        record(out, "E", key)
        out.write([value.bytesize].pack("V"), value)
      end
    end
  end
  nil
rescue Lode::NotFoundError
  "read mismatch"
rescue Lode::Error => e
  "read #{e.kind}"
end

file, dump = ARGV
abort "usage: reader.rb <file> <dump>" unless file && dump
File.open(dump, "wb") do |out|
  begin
    db = Lode::Database.open(file)
  rescue Lode::Error => e
    puts "open #{e.kind}"
    exit
  end
  puts "open ok"
  stopped = read_all(db, out)
  begin
    db.close
  rescue Lode::Error => e
    stopped ||= "close #{e.kind}"
  end
  puts stopped || "read ok"
end

// Schema.string(): type check, required/missing, length, email, url, pattern, lowercase, valid.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaStringTests {
    @Test func acceptsStringsAndRejectsOtherTypesWithoutCoercion() throws {
        for input in ["42", "true", "{}", "[]", "function () {}"] {
            let r = try validate("Schema.string()", input)
            #expect(!r.valid, "input \(input)")
            #expect(r.errors == ["value must be a string"], "input \(input)")
            #expect(r.value == .undefined)
        }
        #expect(try validate("Schema.string()", "'x'").value == .string("x"))
    }

    @Test func requiredRejectsUndefinedNullAndEmptyString() throws {
        for input in ["undefined", "null", "''"] {
            let r = try validate("Schema.string().required()", input)
            #expect(r.errors == ["value is required"], "input \(input)")
        }
        // Whitespace is not empty.
        #expect(try validate("Schema.string().required()", "' '").valid)
    }

    @Test func optionalMissingValuesSkipTheRules() throws {
        let missing = try validate("Schema.string().min(3).email()", "undefined")
        #expect(missing.valid)
        #expect(missing.value == .undefined)
        let empty = try validate("Schema.string().min(3).email()", "''")
        #expect(empty.valid)
        #expect(empty.value == .string(""))
    }

    @Test func minAndMaxCountUTF16Length() throws {
        #expect(try validate("Schema.string().min(3)", "'ab'").errors == ["value must be at least 3 characters"])
        #expect(try validate("Schema.string().min(1)", "' '").valid)
        #expect(try validate("Schema.string().max(1)", "'ab'").errors == ["value must be at most 1 character"])
        #expect(try validate("Schema.string().max(3)", "'abc'").valid)
        // One astral character is two UTF-16 code units, as String.prototype.length counts.
        #expect(try validate("Schema.string().max(1)", "'😀'").errors == ["value must be at most 1 character"])
    }

    @Test func email() throws {
        for good in ["a@b.co", "first.last+tag@example.com", "x@sub.domain.org"] {
            #expect(try validate("Schema.string().email()", "'\(good)'").valid, "\(good)")
        }
        for bad in ["plain", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de", "a@b .de"] {
            #expect(try validate("Schema.string().email()", "'\(bad)'").errors == ["value must be a valid email"], "\(bad)")
        }
    }

    @Test func urlMustBeAbsoluteHTTPOrHTTPS() throws {
        for good in ["https://example.com", "http://example.com/path?q=1#top", "HTTPS://Example.com:8443/",
                     "http://user:pw@host.local/x", "http://[::1]:80/", "https://localhost"] {
            #expect(try validate("Schema.string().url()", "'\(good)'").valid, "\(good)")
        }
        for bad in ["ftp://example.com", "example.com", "/relative/path", "https://", "http:///x",
                    "https://exa mple.com", "javascript:alert(1)", "http://host:99999/", "https//x.com", "mailto:a@b.co"] {
            #expect(try validate("Schema.string().url()", "'\(bad)'").errors == ["value must be a valid URL"], "\(bad)")
        }
    }

    @Test func patternTestsEveryValueTheSameWayEvenWithTheGlobalFlag() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var re = /^[a-z]+$/g;
            var s = Schema.string().pattern(re);
            var r = [s.validate('abc').valid, s.validate('abc').valid, s.validate('abc').valid,
                     s.validate('ABC').errors[0], re.lastIndex];
            return r;
            """)
        #expect(v == .array([.bool(true), .bool(true), .bool(true),
                             .string("value fails to match the required pattern"), .number(0)]))
    }

    @Test func patternAcceptsAPatternStringAndHonoursFlags() throws {
        #expect(try validate("Schema.string().pattern('^\\\\d{3}$')", "'123'").valid)
        #expect(!(try validate("Schema.string().pattern('^\\\\d{3}$')", "'12a'").valid))
        #expect(try validate("Schema.string().pattern(/^abc$/i)", "'ABC'").valid)
    }

    @Test func lowercaseValidatesWithoutConverting() throws {
        #expect(try validate("Schema.string().lowercase()", "'hello world 42'").valid)
        let r = try validate("Schema.string().lowercase()", "'Hello'")
        #expect(r.errors == ["value must be lowercase"])
        #expect(r.value == .string("Hello"))
    }

    @Test func validListsTheAllowedValues() throws {
        #expect(try validate("Schema.string().valid('lbs', 'kg')", "'kg'").valid)
        #expect(try validate("Schema.string().valid('lbs', 'kg')", "'stone'").errors == ["value must be one of lbs, kg"])
        #expect(try validate("Schema.string().valid(['lbs', 'kg'])", "'lbs'").valid)
    }

    @Test func everyFailingRuleOfOneFieldIsReported() throws {
        let r = try validate("Schema.string().min(10).email().lowercase().label('Email')", "'Bad'")
        #expect(r.errors == ["Email must be at least 10 characters", "Email must be a valid email", "Email must be lowercase"])
    }

    @Test func validFailureStopsTheOtherRules() throws {
        let r = try validate("Schema.string().valid('a').min(5)", "'b'")
        #expect(r.errors == ["value must be one of a"])
    }
}

import SluiceVM
import Testing
@testable import SluiceHost

/// Reference-notes §2.6 rules: which bad input throws TypeError and which returns an empty result.
@Suite struct CRMValidationTests {
    @Test(arguments: [
        ("getCrmEntries({})", "slug is required"),
        ("getCrmEntries({ slug: null })", "slug is required"),
        ("getCrmEntries({ slug: 'nope' })", "unknown CRM entity slug 'nope'"),
        ("getCrmEntries({ slug: 42 })", "slug must be a string"),
        ("getCrmEntries('pattern-tracker')", "expects one options object"),
        ("getCrmEntries()", "expects one options object"),
        ("getCrmEntries(null)", "expects one options object"),
        ("getCrmEntries(['pattern-tracker'])", "expects one options object"),
        ("getCrmField({ slug: 'pattern-tracker' })", "fieldKey is required"),
        ("getCrmFieldValues({ slug: 'pattern-tracker' })", "fieldKey is required"),
        ("getCrmFields({ slug: 'pattern-tracker' })", "fieldKeys is required"),
        ("getCrmFields({ slug: 'pattern-tracker', fieldKeys: 'a' })", "fieldKeys must be an array"),
        ("setCrmField({ slug: 'pattern-tracker', value: 1 })", "fieldKey is required"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a' })", "value is required"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: undefined })", "value is required"),
        ("setCrmField({ slug: 'unknown-entity', fieldKey: 'a', value: 1 })", "unknown CRM entity slug"),
        ("addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'a' })", "value is required"),
        ("addCrmFieldValue({ slug: 'pattern-tracker', value: 1 })", "fieldKey is required"),
        ("setCrmFields({ slug: 'pattern-tracker' })", "fields is required"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: {} })", "fields must be an array"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [] })", "fields must not be empty"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [{ value: 1 }] })", "every field needs a fieldKey"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'a' }] })", "every field needs a value"),
        ("clearCrmEntries({ slug: 'x' })", "unknown CRM entity slug"),
        ("moveCrmToStage({ stageSlug: 'new' })", "slug is required"),
        ("moveCrmLead({ slug: 'zzz', pipelineSlug: 'sales', stageSlug: 'new' })", "unknown CRM entity slug"),
        ("moveCrmToEntity({ toSlug: 'sales-leads', fieldMap: { a: 'b' } })", "fromSlug is required"),
        ("moveCrmToEntity({ fromSlug: 'quiz-tracker', toSlug: 'nope', fieldMap: { a: 'b' } })", "unknown CRM entity slug 'nope'"),
        ("reassignCrmReference({ fromReferenceType: 'quiz_visitor', fromReferenceId: 'v' })", "slug is required"),
        ("ensureCrmEntity({ name: 'x' })", "slug is required"),
    ])
    func throwsTypeError(call: String, message: String) throws {
        let h = try CRMHarness()
        let e = try h.uncaught(call, customer: "c1")
        #expect(e?.name == "TypeError")
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "")")
    }

    @Test func typeErrorsAreCatchableAndCheckedBeforeTheCustomer() throws {
        let h = try CRMHarness()
        // Anonymous, and the unknown slug still throws: it is a script bug, not missing data.
        let out = try h.json("""
            try { getCrmFields({ slug: 'typo', fieldKeys: ['a'] }); return 'no error'; }
            catch (e) { return [e instanceof TypeError, e.name]; }
            """)
        #expect(out == #"[true,"TypeError"]"#)
    }

    @Test func slugAliasesAreAccepted() throws {
        let h = try CRMHarness()
        let out = try h.json("""
            setCrmField({ crmEntitySlug: 'pattern-tracker', field_key: 'a', value: 1 });
            setCrmFields({ crm_entity_slug: 'pattern-tracker', fields: [{ field_key: 'b', value: 2 }] });
            return [getCrmField({ crm_entity_slug: 'pattern-tracker', fieldKey: 'a' }),
                    getCrmField({ slug: 'pattern-tracker', field_key: 'b' }),
                    getCrmEntries({ slug: 'pattern-tracker', reference_type: 'customer', reference_id: 'c1' }).length,
                    getCrmField({ slug: 'pattern-tracker', reference_type: 'customer', reference_id: 'c2', fieldKey: 'a' })];
            """, customer: "c1")
        #expect(out == "[1,2,1,null]")
    }

    @Test(arguments: [
        // Invalid field keys.
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a b', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a/b', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 7, value: 1 })", "false"),
        ("addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'é', value: 1 })", "false"),
        ("getCrmField({ slug: 'pattern-tracker', fieldKey: 'a b' })", "null"),
        ("getCrmFieldValues({ slug: 'pattern-tracker', fieldKey: '{x}' })", "[]"),
        // Invalid references.
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'bad type', referenceId: '1', fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 'a{b', fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 'a\"b', fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 'a\\\\b', fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '', fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 'x'.repeat(513), fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: {}, fieldKey: 'a', value: 1 })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', referenceType: 'order', fieldKey: 'a', value: 1 })", "false"),
        ("getCrmEntries({ slug: 'pattern-tracker', referenceType: 'a.b' })", "[]"),
        ("getCrmFields({ slug: 'pattern-tracker', referenceType: 'x y', fieldKeys: ['a'] })", #"{"a":null}"#),
        ("clearCrmEntries({ slug: 'pattern-tracker', referenceType: 'x y' })", #"{"ok":false,"deleted":0}"#),
        // Invalid values.
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: null })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: NaN })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: Infinity })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: function () {} })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: Symbol('s') })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 'x'.repeat(10001) })", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: { s: 'x'.repeat(10240) } })", "false"),
        ("(function () { var o = {}; o.self = o; return setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: o }); })()", "false"),
        ("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: { toJSON: function () { throw new Error('no'); } } })", "false"),
        ("addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'a', value: null })", "false"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'ok', value: 1 }, { fieldKey: 'bad', value: NaN }] })", "false"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'ok', value: 1 }, 'not an object'] })", "false"),
        ("setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'bad key', value: 1 }] })", "false"),
    ])
    func invalidInputReturnsTheEmptyResultAndWritesNothing(call: String, expected: String) throws {
        let h = try CRMHarness()
        #expect(try h.json("return " + call + ";", customer: "c1") == expected)
        #expect(try h.totalEntries() == 0)
    }

    @Test func limitsAreInclusive() throws {
        let h = try CRMHarness()
        let out = try h.json("""
            var big = {}; big.s = 'x'.repeat(10240 - 8);   // {"s":"…"} is exactly 10 KB
            return [setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 'x'.repeat(10000) }),
                    setCrmField({ slug: 'pattern-tracker', fieldKey: 'b', value: big }),
                    setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 'y'.repeat(512), fieldKey: 'c', value: 1 }),
                    setCrmField({ slug: 'pattern-tracker', referenceType: 'Order_2-x', referenceId: 'héllo wörld', fieldKey: 'A.b_c-9', value: 1 })];
            """, customer: "c1")
        #expect(out == "[true,true,true,true]")
    }

    @Test func anonymousVisitorsReadNothingAndWriteNothing() throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 1 });", customer: "c1")
        let out = try h.json("""
            return [getCrmEntries({ slug: 'pattern-tracker' }), getCrmField({ slug: 'pattern-tracker', fieldKey: 'a' }),
                    getCrmFields({ slug: 'pattern-tracker', fieldKeys: ['a'] }),
                    getCrmFieldValues({ slug: 'pattern-tracker', fieldKey: 'a' }),
                    setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 2 }),
                    setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'a', value: 2 }] }),
                    addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'a', value: 2 }),
                    setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 2, async: true }),
                    clearCrmEntries({ slug: 'pattern-tracker' }),
                    moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'new' }),
                    moveCrmToEntity({ fromSlug: 'pattern-tracker', toSlug: 'quiz', fieldMap: { a: 'a' } }),
                    reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v1' })];
            """)
        #expect(out == #"[[],null,{"a":null},[],false,false,false,false,{"ok":false,"deleted":0},{"ok":false,"moved":0,"error":"no_reference"},{"ok":false,"moved":0,"removed_from_old":false,"error":"no_reference"},{"ok":false,"migrated":0,"merged":false,"error":"forbidden"}]"#)
        h.queue.drain()
        #expect(try h.totalEntries() == 1)
        // With an explicit reference an anonymous visitor can store (the quiz flow).
        #expect(try h.json("return setCrmField({ slug: 'quiz', referenceType: 'quiz_visitor', referenceId: 'v1', fieldKey: 'q1', value: 'b' });") == "true")
        #expect(try h.totalEntries() == 2)
    }

    @Test func readsAcceptAndIgnoreAsync() throws {
        let h = try CRMHarness()
        #expect(try h.json("""
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'a', value: 1 });
            return getCrmField({ slug: 'pattern-tracker', fieldKey: 'a', async: true });
            """, customer: "c1") == "1")
    }
}

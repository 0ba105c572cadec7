//! Editing and deleting an order's notes (seed 002), each change kept in the history.

use super::*;

fn notes(s: &Store) -> Vec<String> {
    s.order("ORD-1")["order"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn notes_can_be_edited_and_deleted_with_history() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "note", "ORD-1", "call before delivery"]);
    s.ok(&["order", "note", "ORD-1", "leave at the door"]);
    s.ok(&["order", "note", "ORD-1", "gift wrap"]);

    let out = s.ok(&["order", "note", "ORD-1", "--edit", "1", "call after 5pm"]);
    assert!(out.contains("ok: order.note_edit order ORD-1"), "{out}");
    assert_eq!(
        notes(&s),
        ["call after 5pm", "leave at the door", "gift wrap"]
    );
    let note = &s.order("ORD-1")["order"]["notes"][0];
    assert!(note["edited_at"].is_string(), "{note}");
    let text = s.ok(&["order", "show", "ORD-1"]);
    assert!(text.contains("note 1 "), "{text}");
    assert!(text.contains("call after 5pm (edited"), "{text}");

    let reply = s.json(&["order", "note", "ORD-1", "--delete", "2"]);
    assert_eq!(reply["op"], "order.note_delete");
    assert_eq!(notes(&s), ["call after 5pm", "gift wrap"]);

    let history = s.ok(&["order", "history", "ORD-1"]);
    assert!(
        history.contains(
            "order.note_edit (backoffice): note 1: call after 5pm (was: call before delivery)"
        ),
        "{history}"
    );
    assert!(
        history.contains("order.note_delete (backoffice): note 2 deleted: leave at the door"),
        "{history}"
    );

    // The apply ops.
    let out = s.run_stdin(
        &["apply", "-"],
        concat!(
            r#"{"op":"order.note_edit","id":"ORD-1","note":2,"text":"no gift wrap"}"#,
            "\n",
            r#"{"op":"order.note_delete","id":"ORD-1","note":1}"#,
            "\n"
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(notes(&s), ["no gift wrap"]);
}

#[test]
fn note_edits_of_missing_notes_and_empty_text_are_bad_input() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "note", "ORD-1", "call before delivery"]);
    let before = s.dump_text();
    for (args, wanted) in [
        (
            vec!["order", "note", "ORD-1", "--edit", "2", "x"],
            "order `ORD-1` has no note 2",
        ),
        (
            vec!["order", "note", "ORD-1", "--delete", "0"],
            "notes are counted from 1",
        ),
        (
            vec!["order", "note", "ORD-1", "--edit", "1", " "],
            "the note is empty",
        ),
    ] {
        let err = s.fails(2, &args);
        assert!(err.contains(wanted), "{args:?}: {err}");
    }
    // --edit needs the text, --delete takes none, and not both.
    s.fails(2, &["order", "note", "ORD-1", "--edit", "1"]);
    s.fails(2, &["order", "note", "ORD-1", "--delete", "1", "text"]);
    s.fails(
        2,
        &["order", "note", "ORD-1", "--delete", "1", "--edit", "1"],
    );
    assert_eq!(s.dump_text(), before);
}

#[test]
fn note_edits_and_deletes_have_roles() {
    let s = Store::new();
    placed(&s, "ORD-1");
    s.ok(&["order", "note", "ORD-1", "call before delivery"]);
    // The sales portal may write and edit notes, not delete them.
    s.ok(&[
        "--as",
        "sales_portal",
        "order",
        "note",
        "ORD-1",
        "--edit",
        "1",
        "call me",
    ]);
    let err = s.fails(
        1,
        &[
            "--as",
            "sales_portal",
            "order",
            "note",
            "ORD-1",
            "--delete",
            "1",
        ],
    );
    assert!(err.contains("role `sales_portal` may not"), "{err}");
    assert_eq!(notes(&s), ["call me"]);
}

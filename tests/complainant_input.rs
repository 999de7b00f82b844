//! What a clerk types about the complainant: a phone number is digits (full-width
//! digits, `+86`, spaces and dashes made plain), anything else is refused with a
//! clear message; names and addresses have limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{CLERK_PIN, Desk};

/// `case new` by 张小明 with `extra`, refused by the rules (exit 3): what it said.
fn refused(desk: &Desk, extra: &[&str]) -> String {
    let mut args = vec!["case", "new", "--as", "张小明", "--kind", "complaint"];
    args.extend_from_slice(extra);
    desk.fails(Some(CLERK_PIN), args.as_slice(), 3)
}

#[test]
fn a_phone_with_letters_is_refused_and_names_what_was_typed() {
    let desk = Desk::new();
    for bad in ["不知道", "abc", "137O0007777"] {
        let err = refused(
            &desk,
            &[
                "--channel",
                "phone",
                "--name",
                "王芳",
                "--phone",
                bad,
                "--summary",
                "挂号难",
            ],
        );
        assert!(err.contains("不是电话号码") && err.contains(bad), "{bad}: {err}");
    }
    assert_eq!(desk.count("cases"), 0);
}

#[test]
fn full_width_digits_and_marks_are_one_caller_with_the_plain_number() {
    let desk = Desk::new();
    desk.intake(&["--name", "王芳", "--phone", "13700007777", "--summary", "挂号难"]);
    desk.intake(&[
        "--name",
        "王芳",
        "--phone",
        "＋86 １３７－0000－7777",
        "--summary",
        "排队久",
    ]);
    let third = desk.intake(&["--name", "王芳", "--phone", "137 0000 7777", "--summary", "又来了"]);
    let case = desk.show(&third);
    let flags: Vec<&str> = case["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        flags.contains(&"repeat"),
        "the third call of one caller is a repeat: {case}"
    );
}

#[test]
fn names_and_addresses_have_limits() {
    let desk = Desk::new();
    let long = "王".repeat(51);
    let err = refused(&desk, &["--channel", "phone", "--name", &long, "--summary", "挂号难"]);
    assert!(err.contains("投诉人姓名") && err.contains("50"), "{err}");
    let far = "路".repeat(201);
    let err = refused(
        &desk,
        &[
            "--channel",
            "letter",
            "--name",
            "王芳",
            "--address",
            &far,
            "--summary",
            "来信",
        ],
    );
    assert!(err.contains("地址"), "{err}");
}

//! What each result shows: one chunk file per slot, `gongkaiSearch.chunk(slot,[…])`, with one
//! array per record at its local position (`null` in the gaps), shaped by kind so that a unit's
//! name and links are written once:
//!
//! - `["s", name, href, parent sections]`: sections (slot 0);
//! - `["u", name, href, kind, sections]`: the unit, always at 0;
//! - `["z", name, id, area, [members]]`: a zone, at `…zones/index.html#zone-<id>` of the unit;
//!   each member is the position of their row, or their masked name when they have none;
//! - `["m", name, id, group, role, [zone positions]]`: a member, at `…members/<id>/index.html`.

use super::records::{Responsible, section_path};
use crate::content::model::{Site, Unit};
use crate::masking::member_name as shown_name;
use crate::render::words;
use serde_json::{Value, json};

/// The chunk of unit `u` (slot `u + 1`).
pub fn unit_chunk(site: &Site, unit: &Unit, u: usize) -> Vec<u8> {
    let responsible = Responsible::new(unit);
    let mut rows = vec![Value::Null; 2 * unit.zones.len().max(unit.info.members.len()) + 1];
    rows[0] = json!([
        "u",
        unit.info.name,
        format!("{}/index.html", unit.path),
        words::kind_label(unit.info.kind),
        section_path(site, unit.section)
    ]);
    for (z, zone) in unit.zones.iter().enumerate() {
        let area = zone.area.as_deref().unwrap_or_default();
        let members: Vec<Value> = responsible.zone_members[z]
            .iter()
            .map(|&m| match &unit.info.members[m] {
                member if member.consent => json!(2 * m + 2),
                member => json!(shown_name(member)),
            })
            .collect();
        rows[2 * z + 1] = json!(["z", zone.name, zone.id, area, members]);
    }
    for ((m, member), zones) in unit.info.members.iter().enumerate().zip(&responsible.member_zones) {
        if member.consent {
            let group = unit.group(&member.group).map_or("", |g| g.name.as_str());
            let role = member.role.as_deref().unwrap_or_default();
            let zones: Vec<usize> = zones.iter().map(|z| 2 * z + 1).collect();
            rows[2 * m + 2] = json!(["m", shown_name(member), member.id, group, role, zones]);
        }
    }
    while rows.last() == Some(&Value::Null) {
        rows.pop();
    }
    script(u + 1, &rows)
}

/// The chunk of slot 0: every section.
pub fn sections_chunk(site: &Site) -> Vec<u8> {
    let rows: Vec<Value> = site
        .sections
        .iter()
        .map(|section| {
            let parent = section.parent.map(|p| section_path(site, p)).unwrap_or_default();
            json!(["s", section.name, format!("{}/index.html", section.path), parent])
        })
        .collect();
    script(0, &rows)
}

fn script(slot: usize, rows: &[Value]) -> Vec<u8> {
    let json = serde_json::to_string(rows).expect("strings serialise");
    // Inert even if a host serves the file as HTML; U+2028/9 end lines in old JS engines.
    let json = json.replace('<', "\\u003c").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    format!("gongkaiSearch.chunk({slot},{json});\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{files, index, minimal};
    use super::*;

    #[test]
    fn names_are_shown_as_member_pages_show_them() {
        let site = minimal();
        let unit = &site.units[0];
        for member in &unit.info.members {
            let page = crate::render::views::MemberRef::new(unit, member).name;
            assert_eq!(shown_name(member), page, "{}", member.id);
        }
    }

    #[test]
    fn members_without_consent_have_no_record_and_their_name_no_term() {
        let site = minimal();
        let chunk = String::from_utf8(unit_chunk(&site.site, &site.units[0], 0)).unwrap();
        assert!(!chunk.contains("赵桂兰") && !chunk.contains("桂兰"), "{chunk}");
        let all: String =
            files(&index(&site, false)).iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        assert!(!all.contains("赵桂") && !all.contains("桂兰"), "{all}");
        assert!(all.contains("\"秀英\""), "{all}");
    }

    #[test]
    fn chunks_hold_what_results_show() {
        let site = minimal();
        let chunk = String::from_utf8(unit_chunk(&site.site, &site.units[0], 0)).unwrap();
        let expected = concat!(
            r#"gongkaiSearch.chunk(1,[["u","东王庄村","nanhe-zhen/dongwang/index.html","农村","南河镇"],"#,
            r#"["z","东街片区","z1","东大街1号至28号",[2,4]],"#,
            r#"["m","李建国","m01","第一党小组","支部书记",[1]],"#,
            r#"["z","西街片区","z2","西大街1号至30号",[6,"赵*兰"]],"#,
            r#"["m","王秀英","m02","第一党小组","",[1]],null,"#,
            r#"["m","张志强","m03","第二党小组","",[3]],null,null,null,"#,
            r#"["m","李德胜","m05","第一党小组","",[]]]);"#,
            "\n"
        );
        assert_eq!(chunk, expected);
        let sections = String::from_utf8(sections_chunk(&site.site)).unwrap();
        assert_eq!(sections, "gongkaiSearch.chunk(0,[[\"s\",\"南河镇\",\"nanhe-zhen/index.html\",\"\"]]);\n");
    }

    #[test]
    fn hostile_text_in_chunks_stays_inert() {
        let mut site = minimal();
        site.units[0].zones[0].area = Some("</script><script>alert(1)</script>\u{2028}".into());
        let chunk = String::from_utf8(unit_chunk(&site.site, &site.units[0], 0)).unwrap();
        assert!(!chunk.contains('<') && !chunk.contains('\u{2028}'), "{chunk}");
        assert!(chunk.contains("\\u003c/script>"), "{chunk}");
    }
}

//! The browser's three panes: moving the selection and loading the curriculum.

use crate::model::Model;
use crate::msg::Effect;

pub fn browse_len(model: &Model, pane: usize) -> usize {
    let Some(d) = &model.browser.data else {
        return 0;
    };
    match pane {
        0 => d.students.len(),
        1 => d.courses_of(d.students.get(model.browser.sel[0])).len(),
        _ => model
            .browser
            .curriculum
            .as_ref()
            .map_or(0, |c| c.lessons.len()),
    }
}

pub fn browse_clamp(model: &mut Model) {
    for pane in 0..3 {
        let n = browse_len(model, pane);
        model.browser.sel[pane] = model.browser.sel[pane].min(n.saturating_sub(1));
    }
}

pub fn browse_move(model: &mut Model, down: bool) -> Vec<Effect> {
    let pane = model.browser.pane;
    let n = browse_len(model, pane);
    let sel = &mut model.browser.sel[pane];
    let old = *sel;
    *sel = if down {
        (*sel + 1).min(n.saturating_sub(1))
    } else {
        sel.saturating_sub(1)
    };
    if *sel == old || pane == 2 {
        return Vec::new();
    }
    if pane == 0 {
        model.browser.sel[1] = 0;
    }
    curriculum_effect(model)
}

/// Load the curriculum of the selected course.
pub fn curriculum_effect(model: &Model) -> Vec<Effect> {
    let Some(d) = &model.browser.data else {
        return Vec::new();
    };
    d.courses_of(d.students.get(model.browser.sel[0]))
        .get(model.browser.sel[1])
        .map(|c| vec![Effect::LoadCurriculum(c.id.clone())])
        .unwrap_or_default()
}

//! Columns aligned as gofmt aligns them (struct fields, constants).

/// A line of a block whose columns gofmt aligns, or a comment or blank line, which end a run
/// of aligned lines.
pub(super) enum Row {
    Comment(String),
    Cells(Vec<String>),
}

/// Lines of cells padded as gofmt pads them: within each run of consecutive cell lines, every
/// column but the last is as wide as its widest cell plus one space.
pub(super) fn render_rows(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<Vec<String>> = Vec::new();
    for row in rows {
        match row {
            Row::Cells(cells) => run.push(cells.clone()),
            Row::Comment(text) => {
                out.extend(align(&run));
                run.clear();
                out.push(text.clone());
            }
        }
    }
    out.extend(align(&run));
    out
}

pub(super) fn align(run: &[Vec<String>]) -> Vec<String> {
    let columns = run.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for cells in run {
        for (i, cell) in cells.iter().enumerate().take(cells.len().saturating_sub(1)) {
            widths[i] = widths[i].max(cell.trim_start_matches('\t').chars().count());
        }
    }
    run.iter()
        .map(|cells| {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 < cells.len() {
                    let width = cell.trim_start_matches('\t').chars().count();
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[i] - width + 1));
                } else {
                    line.push_str(cell);
                }
            }
            line
        })
        .collect()
}

"""The page's look: one <style> block, readable on a projector (16 px and up, strong contrast, a compact header)."""

from __future__ import annotations

CSS = """
<style>
/* Readable from the back of a room at 1280x720: nothing below 16 px, strong contrast, no fixed header. */
.ck-page {
  font-size: 16px; color: #1d2939; max-width: 1280px;
  --jp-widgets-font-size: 16px; --jp-ui-font-size1: 16px; --jp-content-font-size1: 16px;
  --jp-widgets-inline-height: 34px; --jp-widgets-inline-label-width: 64px;
}
.ck-page .widget-html-content, .ck-page .widget-label, .ck-page .widget-label-basic,
.ck-page .widget-checkbox label, .ck-page .widget-inline-hbox .widget-label { font-size: 16px; line-height: 1.45; }
.ck-page h1 { font-size: 22px; line-height: 1.3; margin: 0 0 4px 0; }
/* the page's header: title and one line of context side by side, scrolling away with the page */
.ck-header { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 14px; margin: 0 0 4px 0; }
.ck-header h1 { margin: 0; }
.ck-page h2 { font-size: 19px; margin: 6px 0 4px 0; }
.ck-page h3 { font-size: 17px; margin: 10px 0 2px 0; }
.ck-muted { color: #475467; }
.ck-hint { color: #475467; font-size: 16px; margin: 0 0 2px 0; }
.ck-hint q { font-style: italic; }
.ck-error { color: #b42318; font-weight: 600; font-size: 16px; }
.ck-card { border: 1px solid #d0d5dd; border-radius: 8px; padding: 8px 14px; background: #f9fafb; }
.ck-card table { border-collapse: collapse; }
.ck-card td { padding: 2px 14px 2px 0; }
/* the deal at a glance: label and value pairs on one or two lines, not a tall table (as spans or a table) */
.ck-deal-card { padding: 6px 14px; margin: 4px 0; }
.ck-deal-card table, .ck-deal-card tbody { display: flex; flex-wrap: wrap; column-gap: 26px; row-gap: 2px; }
.ck-deal-card tr { display: flex; column-gap: 6px; }
.ck-deal-card td { padding: 0; }
.ck-status { padding: 6px 10px; border-radius: 6px; margin: 4px 0; font-size: 16px; }
.ck-status-ok { background: #ecfdf3; color: #067647; }
.ck-status-error { background: #fef3f2; color: #b42318; }
.ck-status-info { background: #eff8ff; color: #175cd3; }
.ck-findings { list-style: none; padding-left: 0; margin: 4px 0; }
.ck-finding { margin: 4px 0; padding: 4px 8px; border-left: 4px solid #d0d5dd; background: #fff; }
.ck-sev { font-weight: 700; margin-right: 4px; }
.ck-sev-problem { border-left-color: #d92d20; } .ck-sev-problem .ck-sev { color: #b42318; }
.ck-sev-warning { border-left-color: #f79009; } .ck-sev-warning .ck-sev { color: #b54708; }
.ck-sev-tip { border-left-color: #2e90fa; } .ck-sev-tip .ck-sev { color: #175cd3; }
.ck-tip { color: #475467; }
.ck-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 16px; font-weight: 600; }
.ck-badge-order, .ck-badge-advance, .ck-badge-done { background: #dcfae6; color: #067647; }
.ck-badge-continuation { background: #fef0c7; color: #93370d; }
.ck-badge-no_sale { background: #fee4e2; color: #b42318; }
.ck-badge-planned, .ck-badge-current { background: #d1e9ff; color: #175cd3; }
.ck-badge-none, .ck-badge-todo { background: #f2f4f7; color: #475467; }
.ck-stages { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.ck-stages .ck-badge { font-size: 16px; padding: 3px 10px; }
.ck-table { border-collapse: collapse; width: 100%; }
.ck-table th { text-align: left; border-bottom: 2px solid #d0d5dd; padding: 4px 8px; }
.ck-table td { border-bottom: 1px solid #eaecf0; padding: 4px 8px; vertical-align: top; }
.ck-total { font-size: 40px; font-weight: 700; line-height: 1.1; }
.ck-total-good { color: #067647; } .ck-total-fair { color: #b54708; } .ck-total-poor { color: #b42318; }
.ck-criteria td { padding: 2px 6px; }
.ck-bar { display: inline-block; height: 10px; background: #eaecf0; width: 110px; border-radius: 5px; vertical-align: middle; }
.ck-bar > span { display: block; height: 10px; border-radius: 5px; background: #2e90fa; }
.ck-checks { color: #475467; font-size: 16px; }
.ck-suggestion-text { background: #ecfdf3; border: 1px solid #abefc6; border-radius: 6px; padding: 6px 10px; }
.ck-criteria td:last-child { white-space: nowrap; }
/* the scorecard's "more findings" fold (an Accordion on the page, <details> in a static fragment) */
.ck-more { margin: 2px 0 6px 0; }
.ck-more .jupyter-widget-Collapse-header, .ck-more .p-Collapse-header, .ck-more summary {
  font-size: 16px; font-weight: 600; color: #175cd3; cursor: pointer; padding: 6px 10px; }
.ck-more .jupyter-widget-Collapse-contents, .ck-more .p-Collapse-contents { padding: 2px 8px; }
/* the scorecard stays in view while the coach types: no scrolling box between it and the page */
.ck-page.widget-box, .ck-page .widget-box, .ck-tabs .widget-tab-contents,
.jp-OutputArea:has(.ck-page), .jp-OutputArea-child:has(.ck-page), .jp-OutputArea-output:has(.ck-page) {
  overflow: visible !important; }
/* only the side column follows the scroll, inside its own column: it never covers the form */
.ck-page .ck-side { position: sticky; top: 0; align-self: flex-start; max-height: 100vh; overflow-y: auto !important; }
.ck-section { margin-top: 10px; }
.ck-compression { font-weight: 600; color: #175cd3; }
.ck-page input, .ck-page textarea, .ck-page select, .ck-page .widget-textarea textarea, .ck-page .widget-text input {
  font-size: 16px; font-family: inherit; }
/* placeholders are examples ("e.g. Priya Shah"), never mistaken for what a rep typed */
.ck-page input::placeholder, .ck-page textarea::placeholder { color: #98a2b3; font-style: italic; opacity: 1; }
.ck-tabs .lm-TabBar-tab, .ck-tabs .p-TabBar-tab { flex: 0 0 auto !important; max-width: none !important;
  min-width: 160px; font-size: 16px; padding: 0 16px; }
.ck-tabs .lm-TabBar-tab.lm-mod-current, .ck-tabs .p-TabBar-tab.p-mod-current { font-weight: 700; }
.ck-page .jupyter-button, .ck-page .widget-toggle-button { font-size: 16px; }
/* rows of inputs (attendees, commitments) and date boxes */
.ck-col-label { font-weight: 600; font-size: 16px; }
.ck-row-error { margin: 0 0 4px 2px; }
.ck-date-label { margin-right: 6px; }
.ck-date-shown { color: #175cd3; font-weight: 600; margin: 0 0 0 10px; white-space: nowrap; }
.ck-rows .ck-date-shown { margin: 0 0 0 2px; }
.ck-date-invalid input { border-color: #b42318 !important; background: #fef3f2; }
.ck-date-error { margin: 2px 0 0 0; }
</style>
"""


def style_html() -> str:
    """The <style> block; put it once at the top of the page."""
    return CSS

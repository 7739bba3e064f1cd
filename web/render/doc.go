// Package render turns untrusted text and numbers into safe HTML for the
// pages: Markdown through an allow-list sanitizer, logs without terminal
// escapes, charts and histograms as inline SVG, source code highlighted with
// CSS classes, and an archive's file tree. Everything it returns is safe to
// place in a page as template.HTML; nothing it returns needs inline styles or
// scripts, so it works under a strict Content-Security-Policy.
package render

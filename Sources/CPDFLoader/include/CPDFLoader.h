// poppler-glib, loaded at run time: the few calls GlossExtraction makes to read a PDF's text.
//
// Nothing here links poppler or glib. The first call to `gloss_pdf_available` opens
// libpoppler-glib with dlopen and looks up the functions below; a process that never reads a PDF
// never loads it (nor the forty libraries behind it). Every other function may be called only
// after `gloss_pdf_available` returned true. The functions are not safe to call concurrently on
// one document, and poppler does not promise global thread safety: callers serialise them.
#ifndef GLOSS_CPDFLOADER_H
#define GLOSS_CPDFLOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// poppler's PopplerError code for a password-protected document.
#define GLOSS_PDF_ERROR_ENCRYPTED 1

/// A rectangle of a page in points, y growing downwards (poppler's PopplerRectangle).
typedef struct {
    double x1, y1, x2, y2;
} GlossPDFRectangle;

/// True when poppler-glib could be loaded with every function Gloss calls. The first call loads
/// it; later calls (from any thread) return the same answer.
bool gloss_pdf_available(void);

/// Opens a document from `length` bytes (copied; the caller keeps its buffer). Returns an opaque
/// document to release with `gloss_pdf_release`, or NULL with `*error_code` set to poppler's code
/// and `*error_message` to its message (allocated with malloc: release it with `free`; NULL when
/// poppler gave none).
void *gloss_pdf_open(const void *bytes, size_t length, const char *password,
                     int *error_code, char **error_message);

/// The number of pages of the document.
int gloss_pdf_page_count(void *document);

/// The document's title, author, or NULL; release with `gloss_pdf_free`.
char *gloss_pdf_title(void *document);
char *gloss_pdf_author(void *document);

/// The document's creation date in seconds since 1970, or -1 when it has none.
int64_t gloss_pdf_creation_date(void *document);

/// The page at `index` (from 0), to release with `gloss_pdf_release`, or NULL.
void *gloss_pdf_page(void *document, int index);

/// The page's text, lines separated by newlines, or NULL; release with `gloss_pdf_free`.
char *gloss_pdf_page_text(void *page);

/// The extent of each character of the page's text (line breaks included) in `*rectangles`
/// (release with `gloss_pdf_free`) and their number in `*count`; false when poppler has none.
bool gloss_pdf_page_layout(void *page, GlossPDFRectangle **rectangles, unsigned *count);

/// Releases memory poppler or glib allocated (g_free); NULL is allowed.
void gloss_pdf_free(void *pointer);

/// Releases a document or a page (g_object_unref).
void gloss_pdf_release(void *object);

#endif

// Loads poppler-glib with dlopen on first use and forwards to it. The function-pointer types
// mirror poppler's and glib's declarations with opaque pointers, so no poppler or glib header is
// needed to build Gloss.
#include "CPDFLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/// glib's GError, as glib lays it out.
typedef struct {
    uint32_t domain;
    int code;
    char *message;
} GlossGError;

static struct {
    void *(*g_bytes_new)(const void *data, size_t size);
    void (*g_bytes_unref)(void *bytes);
    void (*g_error_free)(GlossGError *error);
    void (*g_object_unref)(void *object);
    void (*g_free)(void *pointer);
    void *(*poppler_document_new_from_bytes)(void *bytes, const char *password, GlossGError **error);
    int (*poppler_document_get_n_pages)(void *document);
    void *(*poppler_document_get_page)(void *document, int index);
    char *(*poppler_document_get_title)(void *document);
    char *(*poppler_document_get_author)(void *document);
    time_t (*poppler_document_get_creation_date)(void *document);
    char *(*poppler_page_get_text)(void *page);
    int (*poppler_page_get_text_layout)(void *page, GlossPDFRectangle **rectangles, unsigned *count);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static bool loaded = false;

/// The names poppler-glib's library goes by: the versioned one a runtime package installs first,
/// then the development symlink.
static const char *const library_names[] = {
#if defined(__APPLE__)
    "libpoppler-glib.8.dylib",
    "libpoppler-glib.dylib",
#else
    "libpoppler-glib.so.8",
    "libpoppler-glib.so",
#endif
};

#define LOOK_UP(handle, name)                                   \
    do {                                                        \
        *(void **)(&api.name) = dlsym((handle), #name);         \
        if (api.name == NULL) return false;                     \
    } while (0)

/// Looks every function up through the poppler-glib handle; dlsym searches the library and the
/// libraries it depends on, so glib's and gobject's functions are found there too.
static bool look_up(void *handle) {
    LOOK_UP(handle, g_bytes_new);
    LOOK_UP(handle, g_bytes_unref);
    LOOK_UP(handle, g_error_free);
    LOOK_UP(handle, g_object_unref);
    LOOK_UP(handle, g_free);
    LOOK_UP(handle, poppler_document_new_from_bytes);
    LOOK_UP(handle, poppler_document_get_n_pages);
    LOOK_UP(handle, poppler_document_get_page);
    LOOK_UP(handle, poppler_document_get_title);
    LOOK_UP(handle, poppler_document_get_author);
    LOOK_UP(handle, poppler_document_get_creation_date);
    LOOK_UP(handle, poppler_page_get_text);
    LOOK_UP(handle, poppler_page_get_text_layout);
    return true;
}

static void load(void) {
    for (size_t i = 0; i < sizeof library_names / sizeof library_names[0]; i++) {
        void *handle = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) continue;
        if (look_up(handle)) {
            loaded = true;
            return;
        }
        // A poppler-glib without one of the functions (too old): try the next name, if any.
        memset(&api, 0, sizeof api);
        dlclose(handle);
    }
}

bool gloss_pdf_available(void) {
    pthread_once(&load_once, load);
    return loaded;
}

void *gloss_pdf_open(const void *bytes, size_t length, const char *password,
                     int *error_code, char **error_message) {
    *error_code = 0;
    *error_message = NULL;
    void *data = api.g_bytes_new(bytes, length);
    GlossGError *error = NULL;
    void *document = api.poppler_document_new_from_bytes(data, password, &error);
    api.g_bytes_unref(data);
    if (document == NULL && error != NULL) {
        *error_code = error->code;
        if (error->message != NULL) *error_message = strdup(error->message);
    }
    if (error != NULL) api.g_error_free(error);
    return document;
}

int gloss_pdf_page_count(void *document) {
    return api.poppler_document_get_n_pages(document);
}

char *gloss_pdf_title(void *document) {
    return api.poppler_document_get_title(document);
}

char *gloss_pdf_author(void *document) {
    return api.poppler_document_get_author(document);
}

int64_t gloss_pdf_creation_date(void *document) {
    return (int64_t)api.poppler_document_get_creation_date(document);
}

void *gloss_pdf_page(void *document, int index) {
    return api.poppler_document_get_page(document, index);
}

char *gloss_pdf_page_text(void *page) {
    return api.poppler_page_get_text(page);
}

bool gloss_pdf_page_layout(void *page, GlossPDFRectangle **rectangles, unsigned *count) {
    *rectangles = NULL;
    *count = 0;
    return api.poppler_page_get_text_layout(page, rectangles, count) != 0;
}

void gloss_pdf_free(void *pointer) {
    if (pointer != NULL) api.g_free(pointer);
}

void gloss_pdf_release(void *object) {
    api.g_object_unref(object);
}

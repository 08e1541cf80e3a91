/**
 * Texts the server hands over as codes: form-field errors of server actions (`form.error.*`) and inbox
 * notices (`notice.*`, stored as code + parameters and rendered here in the viewer's language).
 */
export const actionMessagesDe = {
  "form.error.required": "Bitte ausfüllen.",
  "form.error.tooShort": "Zu kurz (mindestens {min} Zeichen).",
  "form.error.tooLong": "Zu lang (höchstens {max} Zeichen).",
  "form.error.range": "Bitte einen Wert im erlaubten Bereich eingeben.",
  "form.error.email": "Bitte eine gültige E-Mail-Adresse eingeben oder das Feld leer lassen.",
  "form.error.date": "Bitte ein gültiges Datum eingeben.",
  "form.error.format": "Das Format stimmt nicht.",
  "form.error.choice": "Bitte eine der angebotenen Möglichkeiten wählen.",
  "form.error.invalid": "Dieser Wert ist ungültig.",
  "form.error.apiKey": "Fügen Sie den API Key ein, den BuchhaltungsButler anzeigt.",
  "form.error.apiClient": "Fügen Sie den API Client aus BuchhaltungsButler ein.",
  "form.error.apiSecret": "Fügen Sie das API Secret aus BuchhaltungsButler ein.",
  "form.error.logRetentionDays": "Bitte eine Zahl von 1 bis 3650 eingeben.",
  "form.error.categories-form": "Kontonummern bestehen aus 3 bis 9 Ziffern.",
  "form.error.rules": "Die Regeln konnten nicht gelesen werden. Bitte Seite neu laden.",

  "notice.job_failed.orders": "Die Synchronisierung der Verkäufe ist fehlgeschlagen",
  "notice.job_failed.products": "Die Synchronisierung der Artikel ist fehlgeschlagen",
  "notice.job_failed.stock": "Die Synchronisierung des Bestands ist fehlgeschlagen",
  "notice.fix.retryNextRun": "Wir versuchen es beim nächsten Lauf automatisch erneut.",
  "notice.category_parents_missing.text": "Kategorien → Erlöskonten: Wir konnten nicht bestimmen, von welchen Erlöskonten in BuchhaltungsButler (19 % und 7 %) die Kategorie-Konten abgeleitet werden sollen, und auch nicht ihren Nummernbereich.",
  "notice.category_parents_missing.fix": "Ordnen Sie unter Zuordnungen den Steuersätzen 19 % und 7 % Erlöskonten zu oder legen Sie den Nummernbereich unter Artikel → Einstellungen fest.",
  "notice.sku_duplicate.title": "Die Artikelnummer „{sku}“ wird von mehr als einem Lightspeed-Artikel verwendet",
  "notice.sku_duplicate.text": "Artikel {heldBy} behält die Artikelnummer „{sku}“ (er ist älter); Artikel {itemId} wird stattdessen als „{assigned}“ geführt. Es wurde nichts zusammengeführt.",
  "notice.sku_duplicate.fix": "Geben Sie jedem Artikel in Lightspeed eine eigene Artikelnummer oder wählen Sie unter Artikel → Einstellungen ein anderes Feld als Artikelnummer.",
} as const;

export const actionMessagesEn: Record<keyof typeof actionMessagesDe, string> = {
  "form.error.required": "Please fill this in.",
  "form.error.tooShort": "Too short (at least {min} characters).",
  "form.error.tooLong": "Too long (at most {max} characters).",
  "form.error.range": "Please enter a value in the allowed range.",
  "form.error.email": "Enter a valid e-mail address or leave it empty.",
  "form.error.date": "Please enter a valid date.",
  "form.error.format": "The format is not right.",
  "form.error.choice": "Please choose one of the options offered.",
  "form.error.invalid": "This value is not valid.",
  "form.error.apiKey": "Paste the API key BuchhaltungsButler shows.",
  "form.error.apiClient": "Paste the API client from BuchhaltungsButler.",
  "form.error.apiSecret": "Paste the API secret from BuchhaltungsButler.",
  "form.error.logRetentionDays": "Please enter a number from 1 to 3650.",
  "form.error.categories-form": "Account numbers have 3 to 9 digits.",
  "form.error.rules": "The rules could not be read. Please reload the page.",

  "notice.job_failed.orders": "Syncing sales failed",
  "notice.job_failed.products": "Syncing products failed",
  "notice.job_failed.stock": "Syncing stock failed",
  "notice.fix.retryNextRun": "We will try again automatically on the next run.",
  "notice.category_parents_missing.text": "Categories → revenue accounts: we could not tell which BuchhaltungsButler revenue accounts (19 % and 7 %) the category accounts should inherit from, nor their number range.",
  "notice.category_parents_missing.fix": "Map the 19 % and 7 % tax rates to revenue accounts under Mappings, or set the number range under Products → Settings.",
  "notice.sku_duplicate.title": "SKU \"{sku}\" is used by more than one Lightspeed item",
  "notice.sku_duplicate.text": "Item {heldBy} keeps SKU \"{sku}\" (it is older); item {itemId} is registered as \"{assigned}\" instead. Nothing was merged.",
  "notice.sku_duplicate.fix": "Give each item its own SKU in Lightspeed, or choose another SKU field under Products → Settings.",
};

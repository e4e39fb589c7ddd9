package web

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// dealerLanguages are the languages of the dealer's pages, English first
// (the fallback).
var dealerLanguages = []language.Tag{language.English, language.Hungarian, language.Japanese, language.Russian}

var dealerMatcher = language.NewMatcher(dealerLanguages)

// dealerText holds the strings of the dealer's pages by language and key.
// They live here, beside the pages, rather than in the viewer's catalogs
// (locales/ui), which another part of the viewer owns; moving them there is
// a matter of copying the keys.
var dealerText = map[string]map[string]string{
	"en": {
		"confirm.title":               "Confirm the End-user License Agreement",
		"confirm.intro":               "Your dealer accepted the End-user License Agreement on your behalf before the purchase. Read it below, then confirm it or decline it. If you decline, the installation does not proceed.",
		"confirm.accept":              "I have read it and confirm",
		"confirm.decline":             "Decline",
		"confirm.accepted":            "You confirmed the End-user License Agreement. The installation continues.",
		"confirm.declined":            "You declined the End-user License Agreement. The installation does not proceed.",
		"confirm.address":             "This page was opened without the installation or the product. Open it again from the appliance.",
		"confirm.otherproduct":        "The dealer accepted for another product. Ask your dealer for the right reference code.",
		"title":                       "Accept the EULA for a customer",
		"intro":                       "As a dealer or integrator you can accept the End-user License Agreement on behalf of your customer, before or as part of the purchase. You may do so only if you have the customer's acceptance.",
		"language":                    "Language",
		"legend.dealer":               "Your company",
		"role":                        "You act as",
		"role.dealer":                 "Dealer",
		"role.integrator":             "Integrator",
		"dealer.organization":         "Company name",
		"dealer.name":                 "Your name",
		"dealer.email":                "Your e-mail address",
		"legend.customer":             "The customer (end user)",
		"customer.organization":       "End-user company",
		"customer.name":               "Contact person",
		"customer.email":              "Contact person's e-mail address",
		"product":                     "Product",
		"product.choose":              "Choose the product",
		"read":                        "Read the End-user License Agreement",
		"privacy":                     "The names and e-mail addresses are recorded as evidence of the acceptance. How they are handled, and your rights, are set out in the {privacy policy}.",
		"register_consent":            "The customer consents to the registration of its end-user data (optional).",
		"return":                      "Accepting before or as part of the purchase ends the customer's 30-day right to return the product. Husky products have no return right at all.",
		"mseries":                     "Any purchase of a Husky M-series NVR requires this prior acceptance.",
		"customer_accepted":           "I have the customer's acceptance of the End-user License Agreement and accept it on the customer's behalf.",
		"return_right_understood":     "I understand that this acceptance ends the 30-day return right.",
		"submit":                      "Accept on the customer's behalf",
		"errors":                      "The acceptance was not recorded. Correct the fields marked below.",
		"err.required":                "Fill in this field.",
		"err.email":                   "Enter an e-mail address such as name@example.com.",
		"err.toolong":                 "This is too long.",
		"err.badchar":                 "This contains characters that are not allowed here.",
		"err.product":                 "Choose the product.",
		"err.customer_accepted":       "You may accept only with the customer's acceptance: tick this box to confirm that you have it.",
		"err.return_right_understood": "Tick this box to confirm that you understand the return right ends.",
		"err.expired":                 "The page had expired. Check the fields and send the form again.",
		"err.server":                  "The acceptance could not be recorded. Try again; if it keeps failing, tell the administrator.",
		"receipt.title":               "Acceptance recorded",
		"receipt.reference":           "Reference code",
		"receipt.summary":             "Accepted by {1} for {2} on {3}.",
		"receipt.product":             "Product",
		"receipt.version":             "EULA version",
		"receipt.record":              "Record",
		"receipt.forward":             "Print or save this page and forward it to the customer. When the appliance starts for the first time, enter the reference code there: the end user sees who accepted and confirms.",
		"receipt.print":               "Print",
		"receipt.json":                "Receipt to verify offline (JSON)",
		"receipt.notfound":            "No acceptance has this reference code. Check the code.",
		"erased":                      "(erased)",
	},
	"hu": {
		"confirm.title":               "A végfelhasználói licencszerződés megerősítése",
		"confirm.intro":               "A viszonteladó a vásárlás előtt az Ön nevében elfogadta a végfelhasználói licencszerződést. Olvassa el alább, majd erősítse meg vagy utasítsa el. Ha elutasítja, a telepítés nem folytatódik.",
		"confirm.accept":              "Elolvastam és megerősítem",
		"confirm.decline":             "Elutasítom",
		"confirm.accepted":            "Ön megerősítette a végfelhasználói licencszerződést. A telepítés folytatódik.",
		"confirm.declined":            "Ön elutasította a végfelhasználói licencszerződést. A telepítés nem folytatódik.",
		"confirm.address":             "Az oldal a telepítés vagy a termék megadása nélkül nyílt meg. Nyissa meg újra a készülékről.",
		"confirm.otherproduct":        "A viszonteladó egy másik termékre fogadta el. Kérje el tőle a megfelelő hivatkozási kódot.",
		"title":                       "A végfelhasználói licencszerződés elfogadása az ügyfél nevében",
		"intro":                       "Viszonteladóként vagy integrátorként a vásárlás előtt vagy annak részeként elfogadhatja a végfelhasználói licencszerződést az ügyfele nevében. Ezt csak akkor teheti meg, ha az ügyfél elfogadta.",
		"language":                    "Nyelv",
		"legend.dealer":               "Az Ön cége",
		"role":                        "Ön mint",
		"role.dealer":                 "Viszonteladó",
		"role.integrator":             "Integrátor",
		"dealer.organization":         "Cégnév",
		"dealer.name":                 "Az Ön neve",
		"dealer.email":                "Az Ön e-mail-címe",
		"legend.customer":             "Az ügyfél (végfelhasználó)",
		"customer.organization":       "Végfelhasználó cég",
		"customer.name":               "Kapcsolattartó",
		"customer.email":              "A kapcsolattartó e-mail-címe",
		"product":                     "Termék",
		"product.choose":              "Válassza ki a terméket",
		"read":                        "A végfelhasználói licencszerződés elolvasása",
		"privacy":                     "A neveket és az e-mail-címeket az elfogadás bizonyítékaként rögzítjük. Kezelésükről és az Ön jogairól az {adatvédelmi szabályzat} rendelkezik.",
		"register_consent":            "Az ügyfél hozzájárul a végfelhasználói adatai nyilvántartásba vételéhez (nem kötelező).",
		"return":                      "A vásárlás előtti vagy annak részeként történő elfogadással megszűnik az ügyfél 30 napos visszaküldési joga. A Husky termékekre egyáltalán nem vonatkozik visszaküldési jog.",
		"mseries":                     "A Husky M sorozatú NVR-ek minden vásárlása megköveteli ezt az előzetes elfogadást.",
		"customer_accepted":           "Az ügyfél elfogadta a végfelhasználói licencszerződést, és én az ügyfél nevében elfogadom.",
		"return_right_understood":     "Tudomásul veszem, hogy ez az elfogadás megszünteti a 30 napos visszaküldési jogot.",
		"submit":                      "Elfogadás az ügyfél nevében",
		"errors":                      "Az elfogadás nem lett rögzítve. Javítsa az alább jelölt mezőket.",
		"err.required":                "Töltse ki ezt a mezőt.",
		"err.email":                   "Adjon meg egy e-mail-címet, például nev@example.com.",
		"err.toolong":                 "Ez túl hosszú.",
		"err.badchar":                 "Ez itt nem megengedett karaktereket tartalmaz.",
		"err.product":                 "Válassza ki a terméket.",
		"err.customer_accepted":       "Csak az ügyfél elfogadásával fogadhatja el: jelölje be ezt a négyzetet annak megerősítésére, hogy ez megvan.",
		"err.return_right_understood": "Jelölje be ezt a négyzetet annak megerősítésére, hogy tudomásul vette a visszaküldési jog megszűnését.",
		"err.expired":                 "Az oldal lejárt. Ellenőrizze a mezőket, és küldje el újra az űrlapot.",
		"err.server":                  "Az elfogadást nem sikerült rögzíteni. Próbálja újra; ha továbbra sem sikerül, szóljon a rendszergazdának.",
		"receipt.title":               "Az elfogadás rögzítve",
		"receipt.reference":           "Hivatkozási kód",
		"receipt.summary":             "Elfogadta: {1}, {2} nevében, {3} napon.",
		"receipt.product":             "Termék",
		"receipt.version":             "A licencszerződés változata",
		"receipt.record":              "Bejegyzés",
		"receipt.forward":             "Nyomtassa ki vagy mentse el ezt az oldalt, és továbbítsa az ügyfélnek. A készülék első indításakor adja meg ott a hivatkozási kódot: a végfelhasználó látja, ki fogadta el, és megerősíti.",
		"receipt.print":               "Nyomtatás",
		"receipt.json":                "Offline ellenőrizhető nyugta (JSON)",
		"receipt.notfound":            "Ehhez a hivatkozási kódhoz nem tartozik elfogadás. Ellenőrizze a kódot.",
		"erased":                      "(törölve)",
	},
	"ja": {
		"confirm.title":               "エンドユーザー使用許諾契約の確認",
		"confirm.intro":               "販売店が購入前にお客様に代わってエンドユーザー使用許諾契約に同意しました。以下をお読みのうえ、確認または拒否してください。拒否した場合、インストールは続行されません。",
		"confirm.accept":              "読んだうえで確認します",
		"confirm.decline":             "拒否する",
		"confirm.accepted":            "エンドユーザー使用許諾契約を確認しました。インストールを続行します。",
		"confirm.declined":            "エンドユーザー使用許諾契約を拒否しました。インストールは続行されません。",
		"confirm.address":             "インストールまたは製品の指定なしでこのページが開かれました。機器からもう一度開いてください。",
		"confirm.otherproduct":        "販売店は別の製品について同意しています。正しい参照コードを販売店にお問い合わせください。",
		"title":                       "お客様に代わって使用許諾契約に同意する",
		"intro":                       "販売店またはインテグレーターは、購入前または購入時に、お客様に代わってエンドユーザー使用許諾契約に同意できます。お客様の同意を得ている場合に限ります。",
		"language":                    "言語",
		"legend.dealer":               "貴社",
		"role":                        "立場",
		"role.dealer":                 "販売店",
		"role.integrator":             "インテグレーター",
		"dealer.organization":         "会社名",
		"dealer.name":                 "お名前",
		"dealer.email":                "メールアドレス",
		"legend.customer":             "お客様（エンドユーザー）",
		"customer.organization":       "エンドユーザーの会社名",
		"customer.name":               "担当者名",
		"customer.email":              "担当者のメールアドレス",
		"product":                     "製品",
		"product.choose":              "製品を選択してください",
		"read":                        "エンドユーザー使用許諾契約を読む",
		"privacy":                     "氏名とメールアドレスは同意の証拠として記録されます。その取り扱いとお客様の権利については{プライバシーポリシー}をご覧ください。",
		"register_consent":            "お客様はエンドユーザーデータの登録に同意します（任意）。",
		"return":                      "購入前または購入時に同意すると、お客様の30日間の返品権は失われます。Husky 製品にはそもそも返品権がありません。",
		"mseries":                     "Husky M シリーズ NVR の購入には、この事前の同意が必要です。",
		"customer_accepted":           "お客様からエンドユーザー使用許諾契約への同意を得ており、お客様に代わって同意します。",
		"return_right_understood":     "この同意により30日間の返品権が失われることを理解しています。",
		"submit":                      "お客様に代わって同意する",
		"errors":                      "同意は記録されませんでした。下記の項目を修正してください。",
		"err.required":                "この項目を入力してください。",
		"err.email":                   "name@example.com のようなメールアドレスを入力してください。",
		"err.toolong":                 "長すぎます。",
		"err.badchar":                 "使用できない文字が含まれています。",
		"err.product":                 "製品を選択してください。",
		"err.customer_accepted":       "お客様の同意がある場合のみ同意できます。同意を得ていることを確認するため、このボックスをオンにしてください。",
		"err.return_right_understood": "返品権が失われることを理解したことを確認するため、このボックスをオンにしてください。",
		"err.expired":                 "ページの有効期限が切れました。入力内容を確認して、もう一度送信してください。",
		"err.server":                  "同意を記録できませんでした。もう一度お試しください。解決しない場合は管理者に連絡してください。",
		"receipt.title":               "同意を記録しました",
		"receipt.reference":           "参照コード",
		"receipt.summary":             "{1} が {2} に代わって {3} に同意しました。",
		"receipt.product":             "製品",
		"receipt.version":             "使用許諾契約のバージョン",
		"receipt.record":              "記録",
		"receipt.forward":             "このページを印刷または保存して、お客様に転送してください。機器の初回起動時に参照コードを入力すると、エンドユーザーは誰が同意したかを確認し、同意を確定します。",
		"receipt.print":               "印刷",
		"receipt.json":                "オフラインで検証できる受領証（JSON）",
		"receipt.notfound":            "この参照コードの同意はありません。コードを確認してください。",
		"erased":                      "（削除済み）",
	},
	"ru": {
		"confirm.title":               "Подтверждение лицензионного соглашения",
		"confirm.intro":               "Ваш дилер принял лицензионное соглашение с конечным пользователем от вашего имени до покупки. Прочитайте его ниже, затем подтвердите или отклоните. Если вы отклоните его, установка не продолжится.",
		"confirm.accept":              "Я прочитал(а) и подтверждаю",
		"confirm.decline":             "Отклонить",
		"confirm.accepted":            "Вы подтвердили лицензионное соглашение. Установка продолжается.",
		"confirm.declined":            "Вы отклонили лицензионное соглашение. Установка не продолжится.",
		"confirm.address":             "Страница открыта без указания установки или продукта. Откройте её снова с устройства.",
		"confirm.otherproduct":        "Дилер принял соглашение для другого продукта. Запросите у дилера правильный код ссылки.",
		"title":                       "Принять лицензионное соглашение за клиента",
		"intro":                       "Как дилер или интегратор вы можете принять лицензионное соглашение с конечным пользователем от имени клиента до покупки или в ходе неё — только если клиент его принял.",
		"language":                    "Язык",
		"legend.dealer":               "Ваша компания",
		"role":                        "Вы действуете как",
		"role.dealer":                 "Дилер",
		"role.integrator":             "Интегратор",
		"dealer.organization":         "Название компании",
		"dealer.name":                 "Ваше имя",
		"dealer.email":                "Ваш адрес электронной почты",
		"legend.customer":             "Клиент (конечный пользователь)",
		"customer.organization":       "Компания конечного пользователя",
		"customer.name":               "Контактное лицо",
		"customer.email":              "Адрес электронной почты контактного лица",
		"product":                     "Продукт",
		"product.choose":              "Выберите продукт",
		"read":                        "Прочитать лицензионное соглашение",
		"privacy":                     "Имена и адреса электронной почты записываются как доказательство принятия. Как они обрабатываются и каковы ваши права, описано в {политике конфиденциальности}.",
		"register_consent":            "Клиент согласен на регистрацию данных конечного пользователя (необязательно).",
		"return":                      "Принятие до покупки или в ходе неё лишает клиента права вернуть продукт в течение 30 дней. На продукты Husky право возврата не распространяется вовсе.",
		"mseries":                     "Любая покупка сетевых видеорегистраторов Husky серии M требует такого предварительного принятия.",
		"customer_accepted":           "Клиент принял лицензионное соглашение, и я принимаю его от имени клиента.",
		"return_right_understood":     "Я понимаю, что это принятие прекращает право на возврат в течение 30 дней.",
		"submit":                      "Принять от имени клиента",
		"errors":                      "Принятие не записано. Исправьте отмеченные ниже поля.",
		"err.required":                "Заполните это поле.",
		"err.email":                   "Введите адрес электронной почты, например name@example.com.",
		"err.toolong":                 "Слишком длинно.",
		"err.badchar":                 "Здесь есть недопустимые символы.",
		"err.product":                 "Выберите продукт.",
		"err.customer_accepted":       "Принять можно только с согласия клиента: отметьте это поле, чтобы подтвердить, что оно у вас есть.",
		"err.return_right_understood": "Отметьте это поле, чтобы подтвердить, что вы понимаете: право на возврат прекращается.",
		"err.expired":                 "Срок действия страницы истёк. Проверьте поля и отправьте форму ещё раз.",
		"err.server":                  "Не удалось записать принятие. Попробуйте ещё раз; если ошибка повторится, сообщите администратору.",
		"receipt.title":               "Принятие записано",
		"receipt.reference":           "Код ссылки",
		"receipt.summary":             "Принято: {1} от имени {2}, {3}.",
		"receipt.product":             "Продукт",
		"receipt.version":             "Версия соглашения",
		"receipt.record":              "Запись",
		"receipt.forward":             "Распечатайте или сохраните эту страницу и перешлите её клиенту. При первом запуске устройства введите там код ссылки: конечный пользователь увидит, кто принял соглашение, и подтвердит.",
		"receipt.print":               "Печать",
		"receipt.json":                "Квитанция для проверки офлайн (JSON)",
		"receipt.notfound":            "Нет принятия с таким кодом ссылки. Проверьте код.",
		"erased":                      "(удалено)",
	},
}

// dealerLabels are the strings of one language, falling back to English.
type dealerLabels struct {
	lang string
}

// dealerLang chooses the language of a dealer's page: the lang parameter,
// else the browser's Accept-Language.
func dealerLang(param, accept string) dealerLabels {
	_, i, _ := dealerMatcher.Match(preferredTags(param, accept)...)
	return dealerLabels{lang: dealerLanguages[i].String()}
}

// Get returns the string for key.
func (l dealerLabels) Get(key string) string {
	if s, ok := dealerText[l.lang][key]; ok {
		return s
	}
	return dealerText["en"][key]
}

// Format returns the string for key with {1}, {2}, ... replaced by args,
// in one pass: an argument that itself holds "{2}" stays as it is.
func (l dealerLabels) Format(key string, args ...string) string {
	s := l.Get(key)
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}') + max(i, 0)
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		n, err := strconv.Atoi(s[i+1 : j])
		b.WriteString(s[:i])
		if err == nil && 1 <= n && n <= len(args) {
			b.WriteString(args[n-1])
		} else {
			b.WriteString(s[i : j+1])
		}
		s = s[j+1:]
	}
}

// Split returns the string for key cut around its one {link text}: before,
// the link text, after.
func (l dealerLabels) Split(key string) [3]string {
	s := l.Get(key)
	i, j := strings.IndexByte(s, '{'), strings.IndexByte(s, '}')
	if i < 0 || j < i {
		return [3]string{s, "", ""}
	}
	return [3]string{s[:i], s[i+1 : j], s[j+1:]}
}

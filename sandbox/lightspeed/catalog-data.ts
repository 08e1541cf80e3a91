/**
 * Word lists for a plausible German store. Deterministic generation picks from these with the seeded RNG.
 */

export interface CategorySeed {
  name: string;
  taxClass: 1 | 2 | 3;
  children?: CategorySeed[];
  /** Product nouns for items in this category. */
  products?: string[];
  /** Typical gross price range in euros. */
  price?: [number, number];
  matrix?: "apparel" | "shoes";
  nonInventory?: boolean;
}

export const CATEGORY_TREE: CategorySeed[] = [
  {
    name: "Bekleidung",
    taxClass: 1,
    children: [
      { name: "Damen", taxClass: 1, children: [
        { name: "Kleider", taxClass: 1, products: ["Sommerkleid", "Strickkleid", "Etuikleid", "Hemdblusenkleid"], price: [39, 129], matrix: "apparel" },
        { name: "Hosen", taxClass: 1, products: ["Jeans Slim", "Stoffhose", "Culotte", "Chino"], price: [29, 99], matrix: "apparel" },
        { name: "Oberteile", taxClass: 1, products: ["T-Shirt Basic", "Bluse", "Pullover", "Cardigan", "Longsleeve"], price: [14, 79], matrix: "apparel" },
      ] },
      { name: "Herren", taxClass: 1, children: [
        { name: "Hemden", taxClass: 1, products: ["Oxfordhemd", "Flanellhemd", "Leinenhemd", "Poloshirt"], price: [24, 89], matrix: "apparel" },
        { name: "Hosen", taxClass: 1, products: ["Jeans Regular", "Cargohose", "Chino", "Jogginghose"], price: [29, 109], matrix: "apparel" },
      ] },
      { name: "Kinder", taxClass: 1, products: ["Kinder-T-Shirt", "Regenjacke", "Strampler", "Mütze"], price: [9, 49], matrix: "apparel" },
    ],
  },
  {
    name: "Schuhe",
    taxClass: 1,
    children: [
      { name: "Sneaker", taxClass: 1, products: ["Sneaker Low", "Laufschuh", "Canvas-Sneaker"], price: [49, 149], matrix: "shoes" },
      { name: "Stiefel", taxClass: 1, products: ["Chelsea Boot", "Winterstiefel", "Gummistiefel"], price: [59, 199], matrix: "shoes" },
    ],
  },
  {
    name: "Accessoires",
    taxClass: 1,
    children: [
      { name: "Taschen", taxClass: 1, products: ["Jutebeutel", "Umhängetasche", "Rucksack", "Geldbörse"], price: [6.9, 119] },
      { name: "Schmuck", taxClass: 1, products: ["Ohrringe", "Halskette", "Armband", "Ring"], price: [9.9, 89] },
    ],
  },
  {
    name: "Lebensmittel",
    taxClass: 2,
    children: [
      { name: "Kaffee & Tee", taxClass: 2, products: ["Espressobohnen 250 g", "Filterkaffee 500 g", "Grüner Tee", "Kräutertee"], price: [4.5, 18.9] },
      { name: "Süßwaren", taxClass: 2, products: ["Schokolade Zartbitter", "Marzipanbrot", "Lebkuchen", "Fruchtgummi"], price: [1.3, 9.9] },
    ],
  },
  {
    name: "Bücher",
    taxClass: 2,
    children: [
      { name: "Romane", taxClass: 2, products: ["Roman Taschenbuch", "Krimi", "Gedichtband"], price: [9.9, 26] },
      { name: "Kochbücher", taxClass: 2, products: ["Kochbuch Vegetarisch", "Backbuch", "Kochbuch Berlin"], price: [14.9, 39] },
    ],
  },
  { name: "Gutscheine", taxClass: 3, products: ["Geschenkgutschein"], price: [10, 100], nonInventory: true },
  { name: "Service", taxClass: 1, products: ["Änderungsservice", "Geschenkverpackung"], price: [2.5, 25], nonInventory: true },
];

export const COLORS = ["Schwarz", "Weiß", "Marine", "Rot", "Grün", "Beige", "Grau"];
export const APPAREL_SIZES = ["XS", "S", "M", "L", "XL"];
export const SHOE_SIZES = ["38", "39", "40", "41", "42", "43", "44"];
export const ADJECTIVES = ["Classic", "Urban", "Premium", "Vintage", "Eco", "Berlin", "Nordic", "Sport", "Soft", "Retro"];
export const BRANDS = ["Spreewerk", "Kiezmode", "Hanseatic", "Alpenkind", "Nordlicht", "Stadtgrün"];

export const FIRST_NAMES = ["Anna", "Lukas", "Marie", "Finn", "Sophie", "Leon", "Emma", "Paul", "Mia", "Jonas", "Hannah", "Felix", "Lea", "Ben", "Jürgen", "Özlem", "Björn", "Zoë", "Käthe", "Sören"];
export const LAST_NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Yılmaz"];
export const COMPANY_STEMS = ["Kiezkantine", "Spreeblick", "Atelier Nord", "Café Kranzler", "Buchhandlung am Markt", "Hotel Adlon", "Kita Sonnenschein", "Praxis Dr. Lange", "Werbeagentur Blau", "Tischlerei Holzwurm"];
export const COMPANY_FORMS = ["GmbH", "UG (haftungsbeschränkt)", "GbR", "e.K.", "KG", "AG"];
export const STREETS = ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenallee", "Am Markt", "Friedrichstraße", "Oranienstraße", "Kastanienallee", "Torstraße"];
export const DE_CITIES: [string, string][] = [["10115", "Berlin"], ["10997", "Berlin"], ["12047", "Berlin"], ["14467", "Potsdam"], ["20095", "Hamburg"], ["80331", "München"], ["50667", "Köln"], ["04109", "Leipzig"]];
export const FOREIGN: { country: string; code: string; zip: string; city: string; street: string; vatPrefix: string }[] = [
  { country: "Austria", code: "AT", zip: "1010", city: "Wien", street: "Kärntner Straße", vatPrefix: "ATU" },
  { country: "Netherlands", code: "NL", zip: "1012 AB", city: "Amsterdam", street: "Damrak", vatPrefix: "NL" },
];

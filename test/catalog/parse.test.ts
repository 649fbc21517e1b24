import { parseCatalog } from '../../src/catalog/parse.js';

const photos = new Set(['data/photos/roti-coklat.jpg']);
const exists = (path: string): boolean => photos.has(path);

describe('the catalogue CSV', () => {
  it('reads every column, prices written three ways, aliases split on |, and extra columns for templates', () => {
    const text = [
      'name,price,aliases,category,stock,photo,description,Berat (gram)',
      'Roti coklat,12000,roti cokelat|roti coklat keju,Roti,5,data/photos/roti-coklat.jpg,Lembut,80',
      'Roti keju,12.000,,Roti,0,,,',
      'Kopi susu,Rp 15.000,es kopi susu,Minuman,,,Dingin,',
    ].join('\n');
    const { products, problems } = parseCatalog('data/catalog.csv', text, exists);
    expect(problems).toEqual([]);
    expect(products.map((p) => [p.name, p.price, p.stock])).toEqual([
      ['Roti coklat', 12000, 5],
      ['Roti keju', 12000, 0],
      ['Kopi susu', 15000, null],
    ]);
    expect(products[0]).toMatchObject({ aliases: ['roti cokelat', 'roti coklat keju'], category: 'Roti', photo: 'data/photos/roti-coklat.jpg', description: 'Lembut', extra: { berat_gram: '80' } });
  });

  it('reads a ;-separated file with a BOM, as Excel saves it', () => {
    const { products, problems } = parseCatalog('data/catalog.csv', '\uFEFFname;price;stock\r\nTeh manis;5.000;\r\n', exists);
    expect(problems).toEqual([]);
    expect(products).toMatchObject([{ name: 'Teh manis', price: 5000, stock: null }]);
  });

  it('reports each bad row as file:LINE and keeps the good ones', () => {
    const text = [
      'name,price,stock,photo',
      'Roti coklat,12000,,',
      ',5000,,',
      'Donat,murah,,',
      'Bolu,20000,banyak,',
      'Pizza,30000,,data/photos/pizza.jpg',
      'Roti Coklat,9000,,',
      'Curang,1000,,../../etc/passwd',
      '"Kue ulang tahun, besar",250000,1,',
    ].join('\n');
    const { products, problems } = parseCatalog('data/catalog.csv', text, exists);
    expect(problems.map((p) => p.message)).toEqual([
      'data/catalog.csv:3: a product needs a name',
      'data/catalog.csv:4: "murah" is not a price: write it as 12000, 12.000 or Rp 12.000',
      'data/catalog.csv:5: stock "banyak" is not a whole number: leave it empty when you do not count stock, 0 when sold out',
      'data/catalog.csv:6: photo "data/photos/pizza.jpg" does not exist',
      'data/catalog.csv:7: "Roti Coklat" is already on line 2; each product once',
      'data/catalog.csv:8: photo "../../etc/passwd" must be a file under data/, e.g. data/photos/roti.jpg',
    ]);
    expect(products.map((p) => p.name)).toEqual(['Roti coklat', 'Kue ulang tahun, besar']);
  });

  it('says which column is missing', () => {
    const { products, problems } = parseCatalog('data/catalog.csv', 'nama,harga\nRoti,1000\n', exists);
    expect(problems.map((p) => p.message)).toEqual([
      'data/catalog.csv:1: no "name" column: the first line names the columns, e.g. name,price,aliases,stock,photo',
      'data/catalog.csv:1: no "price" column: the first line names the columns, e.g. name,price,aliases,stock,photo',
    ]);
    expect(products).toEqual([]);
  });

  it('counts lines right after a quoted cell that spans lines', () => {
    const { problems } = parseCatalog('data/catalog.csv', 'name,price,description\nRoti,1000,"dua\nbaris"\nDonat,x,\n', exists);
    expect(problems.map((p) => p.message)).toEqual(['data/catalog.csv:4: "x" is not a price: write it as 12000, 12.000 or Rp 12.000']);
  });
});
